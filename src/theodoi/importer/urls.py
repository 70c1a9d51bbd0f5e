from django.urls import path

from . import views

urlpatterns = [
    path("communes/<uuid:commune_id>/import/", views.import_upload, name="import_upload"),
    path("imports/<uuid:import_id>/", views.import_preview, name="import_preview"),
    path("imports/<uuid:import_id>/edit/", views.import_edit, name="import_edit"),
    path("imports/<uuid:import_id>/delete-row/", views.import_delete_row, name="import_delete_row"),
    path("imports/<uuid:import_id>/map-unit/", views.import_map_unit, name="import_map_unit"),
    path("imports/<uuid:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<uuid:import_id>/discard/", views.import_discard, name="import_discard"),
]
