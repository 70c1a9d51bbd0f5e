from django.urls import path

from . import views

urlpatterns = [
    path("tasks/mine/", views.my_tasks_start, name="my_tasks_start"),
    path("communes/<uuid:commune_id>/my-tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<uuid:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:task_id>/report/", views.report_edit, name="report_edit"),
    path("tasks/<uuid:task_id>/directions/", views.direction_create, name="direction_add"),
    path(
        "directions/<uuid:direction_id>/acknowledge/",
        views.direction_acknowledge,
        name="direction_acknowledge",
    ),
    path(
        "communes/<uuid:commune_id>/confirm/",
        views.report_confirm_queue,
        name="report_confirm_queue",
    ),
    path("reports/<uuid:report_id>/confirm/", views.report_confirm, name="report_confirm"),
    path("reports/<uuid:report_id>/return/", views.report_return, name="report_return"),
    path("targets/<uuid:target_id>/", views.target_detail, name="target_detail"),
    path("targets/<uuid:target_id>/value/", views.target_value_edit, name="target_value_edit"),
]
