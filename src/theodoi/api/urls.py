from django.urls import path, re_path

from . import views
from .api import api_urls

urlpatterns = [
    path("account/api-tokens/", views.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<uuid:token_id>/revoke/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("api/v1/docs", views.api_docs, name="api_docs"),
    path("api/v1/", api_urls()),
    # Any other address under /api/ answers in JSON too, not with the site's HTML page.
    re_path(r"^api/", views.api_not_found),
]
