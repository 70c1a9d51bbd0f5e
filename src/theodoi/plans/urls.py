from django.urls import path

from . import views

urlpatterns = [
    path("communes/<uuid:commune_id>/plans/", views.plan_list, name="plan_list"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<uuid:plan_id>/reactivate/", views.plan_reactivate, name="plan_reactivate"),
]
