from django.urls import path

from . import views

urlpatterns = [
    path("account/password/", views.password_change, name="password_change"),
    path("people/", views.people_start, name="people_start"),
    path("communes/<uuid:commune_id>/people/", views.people_list, name="people_list"),
    path("communes/<uuid:commune_id>/people/new/", views.person_create, name="person_create"),
    path("communes/<uuid:commune_id>/people/import/", views.people_import, name="people_import"),
    path(
        "communes/<uuid:commune_id>/people/import/confirm/",
        views.people_import_confirm,
        name="people_import_confirm",
    ),
    # "@name": a username can never be mistaken for "new" or "import".
    path(
        "communes/<uuid:commune_id>/people/@<str:username>/",
        views.person_detail,
        name="person_detail",
    ),
    path(
        "communes/<uuid:commune_id>/people/@<str:username>/active/",
        views.person_set_active,
        name="person_set_active",
    ),
    path(
        "communes/<uuid:commune_id>/people/@<str:username>/reset-password/",
        views.person_reset_password,
        name="person_reset_password",
    ),
    path(
        "communes/<uuid:commune_id>/people/@<str:username>/roles/add/",
        views.person_role_add,
        name="person_role_add",
    ),
    path(
        "communes/<uuid:commune_id>/people/@<str:username>/roles/remove/",
        views.person_role_remove,
        name="person_role_remove",
    ),
    path("communes/<uuid:commune_id>/units/", views.unit_list, name="unit_list"),
    path(
        "communes/<uuid:commune_id>/units/<uuid:unit_id>/",
        views.unit_update,
        name="unit_update",
    ),
    path(
        "communes/<uuid:commune_id>/public-page/",
        views.public_page_settings,
        name="public_page_settings",
    ),
]
