from django.urls import path

from . import views

urlpatterns = [
    path("scorecards/", views.scorecards_start, name="scorecards_start"),
    path("scorecards/sample.xlsx", views.scorecard_sample, name="scorecard_sample"),
    path(
        "provinces/<slug:code>/scorecards/",
        views.province_scorecards,
        name="province_scorecards",
    ),
    path(
        "provinces/<slug:code>/scorecards/import/",
        views.scorecard_import,
        name="scorecard_import",
    ),
    path("scorecards/<uuid:scorecard_id>/", views.scorecard_detail, name="scorecard_detail"),
    path(
        "scorecards/<uuid:scorecard_id>/criteria/new/",
        views.criterion_add,
        name="criterion_add",
    ),
    path(
        "scorecards/<uuid:scorecard_id>/publish/",
        views.scorecard_publish,
        name="scorecard_publish",
    ),
    path(
        "scorecards/<uuid:scorecard_id>/ranking/",
        views.scorecard_ranking,
        name="scorecard_ranking",
    ),
    path("criteria/<uuid:criterion_id>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<uuid:criterion_id>/delete/", views.criterion_delete, name="criterion_delete"),
    path(
        "communes/<uuid:commune_id>/scorecards/",
        views.commune_scorecards,
        name="commune_scorecards",
    ),
    path(
        "communes/<uuid:commune_id>/scorecards/<uuid:scorecard_id>/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path("assessments/<uuid:assessment_id>/", views.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<uuid:assessment_id>/results/",
        views.assessment_results,
        name="assessment_results",
    ),
    path(
        "assessments/<uuid:assessment_id>/export.xlsx",
        views.assessment_export_xlsx,
        name="assessment_export_xlsx",
    ),
    path(
        "assessments/<uuid:assessment_id>/summary.docx",
        views.assessment_export_docx,
        name="assessment_export_docx",
    ),
    path("assessment-entries/<uuid:entry_id>/", views.assessment_entry, name="assessment_entry"),
    path(
        "assessment-entries/<uuid:entry_id>/evidence/",
        views.entry_evidence_add,
        name="entry_evidence_add",
    ),
    path(
        "assessment-entries/<uuid:entry_id>/appraise/",
        views.entry_appraise,
        name="entry_appraise",
    ),
    path(
        "assessment-entries/<uuid:entry_id>/explain/",
        views.entry_explain,
        name="entry_explain",
    ),
    path(
        "scorecard-evidence/<uuid:evidence_id>/download/",
        views.entry_evidence_download,
        name="scorecard_evidence_download",
    ),
    path(
        "scorecard-evidence/<uuid:evidence_id>/withdraw/",
        views.entry_evidence_withdraw,
        name="scorecard_evidence_withdraw",
    ),
]
