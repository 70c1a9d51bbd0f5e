from django.urls import path

from . import views

urlpatterns = [
    path("communes/<uuid:commune_id>/warnings/", views.warning_list, name="warning_list"),
    path("communes/<uuid:commune_id>/warnings/ack/", views.warning_ack, name="warning_ack"),
    path(
        "communes/<uuid:commune_id>/directions/open/",
        views.directions_open,
        name="directions_open",
    ),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
]
