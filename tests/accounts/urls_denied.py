"""The project's URLs plus one view that refuses: for the refused-access audit test."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from theodoi.urls import urlpatterns as project_urlpatterns


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Chỉ cơ quan thường trực mới làm được việc này.")


urlpatterns = [path("test-only/denied/", refuse), *project_urlpatterns]
