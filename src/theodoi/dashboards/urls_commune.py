"""The commune's dashboards (see views_commune)."""

from django.urls import path

from . import views_commune, views_public

urlpatterns = [
    path("public/<slug:code>/", views_public.public_commune, name="public_commune"),
    path("plans/<uuid:plan_id>/tasks/", views_commune.task_list, name="task_list"),
    path(
        "plans/<uuid:plan_id>/dashboard/", views_commune.commune_dashboard, name="commune_dashboard"
    ),
    path(
        "plans/<uuid:plan_id>/reporting/", views_commune.reporting_window, name="reporting_window"
    ),
    path(
        "plans/<uuid:plan_id>/reporting/remind/",
        views_commune.reporting_remind,
        name="reporting_remind",
    ),
    path(
        "communes/<uuid:commune_id>/my-dashboard/",
        views_commune.unit_dashboard,
        name="unit_dashboard",
    ),
]
