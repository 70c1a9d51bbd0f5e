"""The standing office's changes to tasks (see office_views)."""

from django.urls import path

from . import office_views

urlpatterns = [
    path("tasks/<uuid:task_id>/reassign/", office_views.task_reassign, name="task_reassign"),
    path("tasks/<uuid:task_id>/deadline/", office_views.task_deadline, name="task_deadline"),
    path("plans/<uuid:plan_id>/tasks/add/", office_views.task_add, name="task_add"),
]
