"""The request type our views receive: Django's, with django-htmx's ``htmx`` details."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AppRequest(HttpRequest):
    htmx: HtmxDetails
    user: User | AnonymousUser
