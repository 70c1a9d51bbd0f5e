from django.urls import path

from . import views

urlpatterns = [
    path("plans/<uuid:plan_id>/report/", views.report_page, name="report_page"),
    path("plans/<uuid:plan_id>/report/docx/", views.report_docx, name="report_docx"),
    path("plans/<uuid:plan_id>/report/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("plans/<uuid:plan_id>/report/pdf/", views.report_pdf, name="report_pdf"),
    path(
        "plans/<uuid:plan_id>/report/year-end/",
        views.report_year_end_docx,
        name="report_year_end_docx",
    ),
    path("plans/<uuid:plan_id>/report/upper/", views.report_upper, name="report_upper"),
    path(
        "plans/<uuid:plan_id>/report/upper/rates/",
        views.report_upper_rates,
        name="report_upper_rates",
    ),
    path(
        "plans/<uuid:plan_id>/report/upper/evidence/",
        views.report_evidence_zip,
        name="report_evidence_zip",
    ),
    path("plans/<uuid:plan_id>/export/json/", views.plan_export_json, name="plan_export_json"),
    path("plans/<uuid:plan_id>/export/xlsx/", views.plan_export_xlsx, name="plan_export_xlsx"),
    path(
        "provinces/<slug:code>/report/docx/",
        views.province_report_docx,
        name="province_report_docx",
    ),
    path(
        "provinces/<slug:code>/report/xlsx/",
        views.province_report_xlsx,
        name="province_report_xlsx",
    ),
]
