from django.urls import path

from . import views_province

urlpatterns = [
    path("provinces/", views_province.province_dashboard_start, name="province_dashboard_start"),
    path(
        "provinces/<slug:code>/dashboard/",
        views_province.province_dashboard,
        name="province_dashboard",
    ),
]
