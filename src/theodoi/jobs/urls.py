from django.urls import path

from . import views

urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("jobs/<uuid:job_id>/download", views.job_download, name="job_download"),
]
