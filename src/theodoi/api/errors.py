"""Every refusal as JSON: ``{"code": ..., "message": <one Vietnamese sentence>}``.

The services' own refusals keep their words (``TrackingError``, ``EvidenceError``,
``ImportEditError`` → 400, a stale edit → 409); a request the schemas refuse is a 422 whose
``errors`` name each field in Vietnamese.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from theodoi.importer.services import ImportEditError, StaleImportEdit
from theodoi.tracking.services import StaleEdit, TrackingError, VersionMissing

log = logging.getLogger(__name__)


class ErrorOut(Schema):
    code: str
    message: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class ApiRefusal(Exception):
    """A refusal decided in an endpoint (a forbidden action, an unknown unit name...)."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def forbidden(message: str) -> ApiRefusal:
    return ApiRefusal(403, "forbidden", message)


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def _field_message(error: dict[str, Any]) -> str:
    """One pydantic error in Vietnamese."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or _("Giá trị không hợp lệ.")).removeprefix("Value error, ")
    templates: dict[str, str] = {
        "missing": _("Thiếu trường bắt buộc."),
        "string_too_long": _("Dài quá %(max_length)s ký tự."),
        "string_too_short": _("Không được để trống."),
        "string_type": _("Phải là một chuỗi ký tự."),
        "int_type": _("Phải là một số nguyên."),
        "int_parsing": _("Phải là một số nguyên."),
        "int_from_float": _("Phải là một số nguyên."),
        "float_type": _("Phải là một số."),
        "float_parsing": _("Phải là một số."),
        "decimal_type": _("Phải là một số."),
        "decimal_parsing": _("Phải là một số."),
        "finite_number": _("Phải là một số hữu hạn."),
        "decimal_max_places": _("Tối đa %(decimal_places)s chữ số sau dấu thập phân."),
        "decimal_max_digits": _("Số quá dài."),
        "decimal_whole_digits": _("Số quá lớn."),
        "greater_than": _("Phải lớn hơn %(gt)s."),
        "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s."),
        "less_than": _("Phải nhỏ hơn %(lt)s."),
        "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s."),
        "bool_type": _("Phải là true hoặc false."),
        "bool_parsing": _("Phải là true hoặc false."),
        "date_type": _("Phải là một ngày dạng NNNN-TT-NN (ví dụ 2026-03-27)."),
        "date_parsing": _("Phải là một ngày dạng NNNN-TT-NN (ví dụ 2026-03-27)."),
        "date_from_datetime_parsing": _("Phải là một ngày dạng NNNN-TT-NN (ví dụ 2026-03-27)."),
        "date_from_datetime_inexact": _("Phải là một ngày, không kèm giờ."),
        "uuid_type": _("Phải là một mã UUID."),
        "uuid_parsing": _("Phải là một mã UUID."),
        "literal_error": _("Phải là một trong các giá trị: %(expected)s."),
        "enum": _("Phải là một trong các giá trị: %(expected)s."),
        "list_type": _("Phải là một danh sách."),
        "too_long": _("Nhiều quá %(max_length)s phần tử."),
        "too_short": _("Cần ít nhất %(min_length)s phần tử."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "model_type": _("Phải là một đối tượng JSON."),
        "model_attributes_type": _("Phải là một đối tượng JSON."),
        "json_invalid": _("JSON không hợp lệ."),
        "json_type": _("JSON không hợp lệ."),
    }
    template = templates.get(kind)
    if template is None:
        return _("Giá trị không hợp lệ.")
    try:
        return template % {k: str(v) for k, v in ctx.items()}
    except (KeyError, TypeError, ValueError):
        return _("Giá trị không hợp lệ.")


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in loc or ()]
    # ninja prefixes the source and the parameter's name ("body", "payload"): keep the source.
    if len(parts) >= 2 and parts[0] == "body" and parts[1] == "payload":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def validation_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    items = [{"field": _field_name(e.get("loc")), "message": _field_message(e)} for e in errors]
    first = items[0] if items else {"field": "", "message": ""}
    message = _("Dữ liệu gửi lên không hợp lệ")
    if first["field"]:
        message += f" ({first['field']}): {first['message']}"
    return error_body("invalid", message, errors=items)


HTTP_MESSAGES = {
    400: gettext_lazy("Yêu cầu không đọc được: nội dung phải là JSON hợp lệ."),
    401: gettext_lazy("Chưa xác thực: hãy gửi mã truy cập API hợp lệ trong tiêu đề Authorization."),
    403: gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    404: gettext_lazy("Không tìm thấy."),
    405: gettext_lazy("Phương thức này không được hỗ trợ."),
    413: gettext_lazy("Nội dung gửi lên quá lớn."),
    429: gettext_lazy("Quá nhiều yêu cầu; hãy thử lại sau."),
}


def _record_denied(request: HttpRequest) -> None:
    """A refused action goes on the audit trail, as the UI's refusals do."""
    # Imported here: accounts' services import much of the project.
    from django.contrib.auth.models import User

    from theodoi.accounts.services import access_denied_record

    user = getattr(request, "auth", None)
    access_denied_record(
        user=user if isinstance(user, User) else None,
        commune=None,
        what=f"API {request.method} {request.path}"[:300],
    )


def install(api: NinjaAPI) -> None:
    """Replace ninja's English error bodies with ours."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="theodoi"'
        if status == 403:
            _record_denied(request)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, error_body("unauthorized", str(HTTP_MESSAGES[401])))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}.get(status, "bad_request")
        return respond(request, status, error_body(code, str(message)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Another commune's object, or none at all: the same answer, so nothing leaks.
        return respond(
            request,
            404,
            error_body(
                "not_found", _("Không tìm thấy, hoặc bạn không có quyền xem đối tượng này.")
            ),
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or str(HTTP_MESSAGES[403])
        return respond(request, 403, error_body("forbidden", message))

    @api.exception_handler(ApiRefusal)
    def refusal(request: HttpRequest, exc: ApiRefusal) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.code, exc.message, **exc.extra))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, 422, validation_body(list(exc.errors)))

    @api.exception_handler(TrackingError)
    def tracking_error(request: HttpRequest, exc: TrackingError) -> HttpResponse:
        if isinstance(exc, VersionMissing):
            return respond(request, 409, error_body("version_required", exc.message))
        if isinstance(exc, StaleEdit):
            return respond(request, 409, error_body("stale", exc.message))
        return respond(request, 400, error_body("refused", exc.message))

    @api.exception_handler(ImportEditError)
    def import_error(request: HttpRequest, exc: ImportEditError) -> HttpResponse:
        if isinstance(exc, StaleImportEdit):
            return respond(request, 409, error_body("stale", exc.message))
        return respond(request, 400, error_body("refused", exc.message))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body("too_large", str(HTTP_MESSAGES[413])))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, error_body("bad_request", str(HTTP_MESSAGES[400])))

    @api.exception_handler(BadRequest)
    def bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        # Our own refusals (theodoi.lib.inputs) carry their sentence; Django's say nothing.
        message = str(exc) or str(HTTP_MESSAGES[400])
        return respond(request, 400, error_body("bad_request", message))

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # A multipart body without a boundary, or cut short: Django's own views answer 400.
        return respond(
            request,
            400,
            error_body(
                "bad_request",
                _("Yêu cầu không đọc được: tệp phải gửi dạng multipart/form-data hợp lệ."),
            ),
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback for the administrator; the client gets one sentence.
        log.exception("API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_body(
                "server_error",
                _("Máy chủ gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại để quản trị xem xét."),
            ),
        )
