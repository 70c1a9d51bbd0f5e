from django.urls import path

from . import views

urlpatterns = [
    path("evidence/upload/", views.evidence_upload, name="evidence_upload"),
    path(
        "evidence/<uuid:evidence_id>/download/", views.evidence_download, name="evidence_download"
    ),
    path("evidence/<uuid:evidence_id>/view/", views.evidence_view, name="evidence_view"),
    path(
        "evidence/<uuid:evidence_id>/withdraw/", views.evidence_withdraw, name="evidence_withdraw"
    ),
    path("evidence/<uuid:evidence_id>/review/", views.evidence_review, name="evidence_review"),
    path("communes/<uuid:commune_id>/review/", views.review_queue, name="review_queue"),
    path(
        "target-values/<uuid:value_id>/review/",
        views.target_value_review,
        name="target_value_review",
    ),
]
