"""The page "Mã truy cập API" (create, list, revoke one's tokens) and the API docs page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from theodoi.lib.http import AppRequest

from . import services
from .forms import ApiTokenForm
from .models import ApiToken


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


@login_required
@never_cache
def api_tokens(request: AppRequest) -> HttpResponse:
    """List the user's tokens; a post creates one and shows its secret, this once only."""
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    created: ApiToken | None = None
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = services.api_token_create(
                    user=user, name=form.cleaned_data["name"]
                )
            except services.TokenError as exc:
                form.add_error("name", exc.message)
            else:
                form = ApiTokenForm()
        if form.errors:
            status = 400
    tokens = ApiToken.objects.filter(user=user)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "created": created,
            "secret": secret,
            "docs_url": reverse("api_docs"),
        },
        status=status,
    )


@login_required
@require_POST
def api_token_revoke(request: AppRequest, token_id: uuid.UUID) -> HttpResponse:
    # Another user's token is a 404: its existence is none of this user's business.
    token = ApiToken.objects.filter(user=_user(request), public_id=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, user=_user(request))
    messages.success(
        request,
        _("Đã thu hồi mã “%(name)s”; mọi yêu cầu dùng mã này từ nay bị từ chối.")
        % {"name": token.name},
    )
    return redirect("api_tokens")


@require_GET
def api_docs(request: AppRequest) -> HttpResponse:
    """Swagger UI from vendored files: works on an intranet with no Internet access."""
    return render(request, "api/docs.html", {"schema_url": reverse("api-v1:openapi-json")})


@csrf_exempt
def api_not_found(request: AppRequest) -> JsonResponse:
    return JsonResponse(
        {
            "code": "not_found",
            "message": _("Không có địa chỉ API này. Danh sách địa chỉ ở /api/v1/docs."),
        },
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
