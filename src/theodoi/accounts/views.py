"""A commune's people and units, managed by its administrator; one's own password; the
lock-out page. Thin views over ``accounts.services``, fetching through ``accounts.access``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import User
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from theodoi.lib.http import AppRequest
from theodoi.lib.inputs import ascii_int
from theodoi.units.models import Commune, Unit

from . import services
from .access import (
    get_commune_to_manage_people,
    get_person_to_manage,
    get_unit_to_manage,
    people_communes,
    people_of,
)
from .lockout import account_locked, lockout_reasons
from .models import Membership
from .roles import COMMUNE_ROLES
from .services import AccountError, ImportRow, PersonData
from .signals import MUST_CHANGE_PASSWORD

# The temporary password just made, shown once on the next page and then forgotten.
ONE_TIME_PASSWORD = "theodoi_one_time_password"


def _user(request: AppRequest) -> User:
    # login_required guarantees it; the assert narrows the type.
    assert isinstance(request.user, User)
    return request.user


def _import_key(commune: Commune) -> str:
    return f"theodoi_people_import_{commune.public_id}"


# --- people ---------------------------------------------------------------------------------


@login_required
def people_start(request: AppRequest) -> HttpResponse:
    """The navbar's "Quản lý người dùng": straight to the one commune, or a choice."""
    communes = people_communes(request.user)
    if not communes:
        raise Http404
    if len(communes) == 1:
        return redirect("people_list", communes[0].public_id)
    return render(request, "accounts/people_start.html", {"communes": communes})


@login_required
def people_list(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    people = people_of(commune, include_elevated=_user(request).is_superuser)
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "disabled":
        people = people.filter(is_active=False)
    people = people.order_by("first_name", "username").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(commune=commune).select_related("unit"),
            to_attr="roles_here",
        )
    )
    return render(
        request,
        "accounts/people_list.html",
        {"commune": commune, "people": people, "q": query, "status": status},
    )


def _role_context(commune: Commune) -> dict[str, Any]:
    return {
        "roles": COMMUNE_ROLES,
        "units": Unit.objects.of_commune(commune).active(),
    }


@login_required
def person_create(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    typed = {
        key: request.POST.get(key, "").strip()
        for key in ("full_name", "username", "email", "role", "unit")
    }
    error = ""
    if request.method == "POST":
        unit = _unit_or_none(commune, typed["unit"])
        try:
            person, password = services.person_create(
                actor=_user(request),
                commune=commune,
                data=PersonData(
                    full_name=typed["full_name"],
                    username=typed["username"],
                    email=typed["email"],
                    role=typed["role"],
                    unit=unit,
                ),
            )
        except AccountError as exc:
            error = exc.message
        else:
            request.session[ONE_TIME_PASSWORD] = {"username": person.username, "password": password}
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": person.username})
            return redirect("person_detail", commune.public_id, person.username)
    return render(
        request,
        "accounts/person_create.html",
        {"commune": commune, "typed": typed, "error": error, **_role_context(commune)},
        status=400 if error else 200,
    )


def _unit_or_none(commune: Commune, raw: str) -> Unit | None:
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        return None
    return Unit.objects.filter(commune=commune, public_id=public_id).first()


@login_required
def person_detail(request: AppRequest, commune_id: uuid.UUID, username: str) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    person = get_person_to_manage(request.user, commune, username)
    error = ""
    if request.method == "POST":
        try:
            services.person_update(
                actor=_user(request),
                commune=commune,
                person=person,
                full_name=request.POST.get("full_name", ""),
                email=request.POST.get("email", ""),
            )
        except AccountError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã lưu thông tin."))
            return redirect("person_detail", commune.public_id, person.username)
    one_time = request.session.get(ONE_TIME_PASSWORD)
    if one_time and one_time.get("username") == person.username:
        del request.session[ONE_TIME_PASSWORD]
    else:
        one_time = None
    memberships = Membership.objects.filter(user=person, commune=commune).select_related("unit")
    return render(
        request,
        "accounts/person_detail.html",
        {
            "commune": commune,
            "person": person,
            "memberships": memberships,
            "one_time": one_time,
            "error": error,
            "locked": account_locked(person.username),
            "is_self": person.pk == request.user.pk,
            **_role_context(commune),
        },
        status=400 if error else 200,
    )


def _back_to_person(commune: Commune, person: User) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("person_detail", args=[commune.public_id, person.username]))


@login_required
@require_POST
def person_set_active(request: AppRequest, commune_id: uuid.UUID, username: str) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    person = get_person_to_manage(request.user, commune, username)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(
            actor=_user(request), commune=commune, person=person, active=active
        )
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã mở lại tài khoản %(u)s.") % {"u": person.username}
            if active
            else _("Đã khóa tài khoản %(u)s: người này không đăng nhập được nữa.")
            % {"u": person.username},
        )
    return _back_to_person(commune, person)


@login_required
@require_POST
def person_reset_password(
    request: AppRequest, commune_id: uuid.UUID, username: str
) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    person = get_person_to_manage(request.user, commune, username)
    try:
        password = services.password_reset(actor=_user(request), commune=commune, person=person)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        request.session[ONE_TIME_PASSWORD] = {"username": person.username, "password": password}
    return _back_to_person(commune, person)


@login_required
@require_POST
def person_role_add(request: AppRequest, commune_id: uuid.UUID, username: str) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    person = get_person_to_manage(request.user, commune, username)
    try:
        services.membership_add(
            actor=_user(request),
            user=person,
            role=request.POST.get("role", ""),
            commune=commune,
            unit=_unit_or_none(commune, request.POST.get("unit", "")),
        )
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã giao vai trò."))
    return _back_to_person(commune, person)


@login_required
@require_POST
def person_role_remove(request: AppRequest, commune_id: uuid.UUID, username: str) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    person = get_person_to_manage(request.user, commune, username)
    membership = (
        Membership.objects.filter(
            user=person, commune=commune, pk=ascii_int(request.POST.get("membership"), missing=-1)
        )
        .select_related("user", "unit", "commune")
        .first()
    )
    if membership is None:
        raise Http404
    try:
        services.membership_remove(actor=_user(request), membership=membership)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ vai trò."))
    return _back_to_person(commune, person)


# --- importing people -----------------------------------------------------------------------


@login_required
def people_import(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    """Upload a sheet and see every row with its problems; nothing is saved yet."""
    commune = get_commune_to_manage_people(request.user, commune_id)
    rows: list[ImportRow] = []
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Hãy chọn tệp Excel (.xlsx) danh sách người dùng.")
        elif upload.size and upload.size > services.IMPORT_MAX_BYTES:
            error = _("Tệp quá lớn (tối đa %(max)d MB).") % {
                "max": services.IMPORT_MAX_BYTES // (1024 * 1024)
            }
        else:
            try:
                rows = services.people_import_read(commune=commune, data=upload.read())
            except AccountError as exc:
                error = exc.message
            else:
                request.session[_import_key(commune)] = [row.as_dict() for row in rows]
    return _import_page(request, commune, rows, error)


def _import_page(
    request: HttpRequest, commune: Commune, rows: list[ImportRow], error: str
) -> HttpResponse:
    bad = sum(1 for row in rows if row.errors)
    return render(
        request,
        "accounts/people_import.html",
        {
            "commune": commune,
            "rows": rows,
            "bad_rows": bad,
            "error": error,
            "roles": COMMUNE_ROLES,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def people_import_confirm(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    """Create everyone of the previewed sheet in one transaction, or nobody."""
    commune = get_commune_to_manage_people(request.user, commune_id)
    stored = request.session.get(_import_key(commune))
    if not stored:
        messages.error(request, _("Không còn bảng xem trước nào; hãy tải tệp lên lại."))
        return redirect("people_import", commune.public_id)
    rows = [ImportRow(**row) for row in stored]
    try:
        created = services.people_import_commit(actor=_user(request), commune=commune, rows=rows)
    except AccountError as exc:
        # The commune changed since the preview (a name taken meanwhile): show why.
        return _import_page(
            request, commune, services.people_import_check(commune=commune, rows=rows), exc.message
        )
    del request.session[_import_key(commune)]
    return render(
        request, "accounts/people_import_done.html", {"commune": commune, "created": created}
    )


# --- units ----------------------------------------------------------------------------------


@login_required
def unit_list(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    error, typed = "", ""
    if request.method == "POST":
        typed = request.POST.get("name", "")
        try:
            unit = services.unit_create(actor=_user(request), commune=commune, name=typed)
        except AccountError as exc:
            error = exc.message
        else:
            messages.success(request, _("Đã thêm đơn vị “%(name)s”.") % {"name": unit.name})
            return redirect("unit_list", commune.public_id)
    units = Unit.objects.of_commune(commune).order_by("-is_active", "name")
    return render(
        request,
        "accounts/unit_list.html",
        {"commune": commune, "units": units, "error": error, "typed": typed},
        status=400 if error else 200,
    )


@login_required
@require_POST
def unit_update(request: AppRequest, commune_id: uuid.UUID, unit_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    unit = get_unit_to_manage(request.user, commune, unit_id)
    action = request.POST.get("action", "")
    try:
        if action == "rename":
            services.unit_rename(actor=_user(request), unit=unit, name=request.POST.get("name", ""))
            messages.success(request, _("Đã đổi tên đơn vị."))
        elif action in ("disable", "enable"):
            services.unit_set_active(actor=_user(request), unit=unit, active=action == "enable")
            messages.success(request, _("Đã cập nhật đơn vị “%(name)s”.") % {"name": unit.name})
        else:
            raise Http404
    except AccountError as exc:
        messages.error(request, exc.message)
    return redirect("unit_list", commune.public_id)


# --- the commune's public page switch --------------------------------------------------------


@login_required
def public_page_settings(request: AppRequest, commune_id: uuid.UUID) -> HttpResponse:
    commune = get_commune_to_manage_people(request.user, commune_id)
    if request.method == "POST":
        enabled = request.POST.get("public_page") == "1"
        services.public_page_set(actor=_user(request), commune=commune, enabled=enabled)
        messages.success(
            request, _("Đã bật trang công khai.") if enabled else _("Đã tắt trang công khai.")
        )
        return redirect("public_page_settings", commune.public_id)
    return render(
        request,
        "accounts/public_settings.html",
        {"commune": commune, "enabled": services.public_page_enabled(commune)},
    )


# --- one's own password ---------------------------------------------------------------------


@login_required
def password_change(request: AppRequest) -> HttpResponse:
    """Change one's password; the page a temporary password leads to at sign-in."""
    user = _user(request)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        services.password_changed(user=user)
        request.session.pop(MUST_CHANGE_PASSWORD, None)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": bool(request.session.get(MUST_CHANGE_PASSWORD))},
        status=400 if form.errors else 200,
    )


# --- the lock-out page (django-axes' AXES_LOCKOUT_CALLABLE) ----------------------------------


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Too many failed sign-ins: say so plainly, and for how long."""
    from .lockout import ACCOUNT, ADDRESS

    username = str((credentials or {}).get("username") or request.POST.get("username", ""))
    reasons = lockout_reasons(request, {"username": username})
    services.locked_out_record(username=username, request=request, reasons=reasons)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "accounts/locked_out.html",
        {
            "by_account": ACCOUNT in reasons or not reasons,
            "by_address": ADDRESS in reasons,
            "minutes": minutes,
            "account_limit": settings.AXES_FAILURE_LIMIT,
            "address_limit": settings.THEODOI_LOGIN_FAILURES_PER_ADDRESS,
        },
        status=429,
    )
