"""The JSON API, version 1: ``/api/v1/``, its schema at ``/api/v1/openapi.json``.

Every endpoint needs ``Authorization: Bearer <token>`` (tokens are made on the page
"Mã truy cập API"); the token acts with its user's permissions, exactly as in the UI.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import errors
from .auth import BearerToken
from .routes import evidence, plans, work

DESCRIPTION = """
API của hệ thống theo dõi kế hoạch chuyển đổi số cấp xã.

**Xác thực.** Mỗi yêu cầu gửi tiêu đề `Authorization: Bearer <mã truy cập>`. Mã truy cập được
tạo và thu hồi trên trang "Mã truy cập API" (`/account/api-tokens/`); mã hành động với đúng
quyền của người tạo ra nó.

**Mã định danh.** Mọi đối tượng được gọi bằng mã UUID (`id`), không bao giờ bằng số thứ tự.
Đối tượng của xã/phường khác trả về 404, như thể không tồn tại.

**Lỗi.** Mọi lỗi là JSON `{"code": "...", "message": "<một câu tiếng Việt>"}`:
401 thiếu hoặc sai mã truy cập; 403 không có quyền thực hiện thao tác; 404 không tìm thấy;
400 thao tác bị từ chối (lý do trong `message`); 409 đối tượng vừa được người khác sửa
(gửi lại `version` mới); 422 dữ liệu không hợp lệ (`errors` liệt kê từng trường).

**Số.** Số thập phân được trả về dạng chuỗi (`"84.5"`) để không mất chữ số.
"""


class Renderer(JSONRenderer):
    # Vietnamese as written, not as \u escapes: readable in a log or a terminal.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="theodoi API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=BearerToken(),
    renderer=Renderer(),
    docs_url=None,  # served by views.api_docs, from vendored files (no CDN)
)
errors.install(api)
api.add_router("/", plans.router)
api.add_router("/", work.router)
api.add_router("/", evidence.router)


def _json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """ninja answers a wrong method with a plain-text 405; ours is JSON like every error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            body = errors.error_body("method_not_allowed", str(errors.HTTP_MESSAGES[405]))
            allowed = JsonResponse(body, status=405, json_dumps_params={"ensure_ascii": False})
            allowed["Allow"] = response["Allow"]
            return allowed
        return response

    return wrapper


def api_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = [
        URLPattern(p.pattern, _json_not_allowed(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, app_name, namespace
