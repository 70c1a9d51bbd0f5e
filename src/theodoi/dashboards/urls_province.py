from django.urls import path

from . import views_province

urlpatterns = [
    path("provinces/", views_province.province_dashboard_start, name="province_dashboard_start"),
    path("national/", views_province.national_dashboard, name="national_dashboard"),
    path(
        "provinces/<slug:code>/dashboard/",
        views_province.province_dashboard,
        name="province_dashboard",
    ),
]
