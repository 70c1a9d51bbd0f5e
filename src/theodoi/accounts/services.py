"""Writes on accounts, roles and units, each in a transaction and on the audit trail.

A commune's administrator creates and disables its people (never deletes them), resets
passwords (a one-time temporary password the user must change at the next sign-in), gives
roles and units, keeps the list of units, imports people from an XLSX sheet and switches the
commune's public page. Sign-ins, failed sign-ins, lock-outs and refused accesses are recorded
here too.
"""

from __future__ import annotations

import io
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.validators import ASCIIUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from theodoi.api.services import api_tokens_revoke_all
from theodoi.audit.services import audit_record, audit_refusal
from theodoi.lib.locks import lock_row
from theodoi.units.models import Commune, Unit, UnitAlias
from theodoi.units.services import unit_alias_remember

from .models import Account, CommuneSettings, Membership
from .roles import COMMUNE_ROLES, UNIT_ROLES, Role


class AccountError(Exception):
    """A refused action; ``message`` is one Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- words people type ----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "Cán bộ  Đơn vị" → "can bo don vi"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.lower().split())


# Besides each role's label and code, the words communes use for it in their own lists.
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Role.COMMUNE_ADMIN: ("quản trị", "quản trị viên", "quản trị xã", "quản trị phường"),
    Role.STANDING_OFFICE: ("thường trực", "cơ quan thường trực"),
    Role.LEADER: ("lãnh đạo", "ban chỉ đạo", "thành viên ban chỉ đạo", "bcđ", "lãnh đạo xã"),
    Role.UNIT_HEAD: ("lãnh đạo đơn vị", "trưởng đơn vị", "thủ trưởng đơn vị", "trưởng phòng"),
    Role.UNIT_STAFF: ("cán bộ", "cán bộ đơn vị", "công chức", "chuyên viên", "nhân viên"),
    Role.SUPERVISOR: ("giám sát", "mttq", "mặt trận tổ quốc", "giám sát mttq"),
}

# Roles a commune gives; a province officer is appointed by the system administrator.


def role_from_text(text: str) -> str | None:
    """The role a commune's sheet means by ``text`` ("Cán bộ đơn vị", "can bo", "mttq")."""
    wanted = fold(text)
    if not wanted:
        return None
    for role in COMMUNE_ROLES:
        words = {fold(str(role.label)), fold(role.value), *(fold(w) for w in _ROLE_WORDS[role])}
        if wanted in words:
            return role.value
    return None


def role_labels() -> str:
    return ", ".join(str(role.label) for role in COMMUNE_ROLES)


# --- passwords ------------------------------------------------------------------------------

# No look-alikes (0/o, 1/l/i): the password is read off a screen and typed on a phone.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """A random one-time password such as ``k7mp-x2qa-9fhe``, shown once to the administrator."""
    while True:
        groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        if any(ch.isalpha() for ch in password) and any(ch.isdigit() for ch in password):
            return password


def _unlock(username: str) -> None:
    """Lift a sign-in lock-out of ``username`` (its failures from any address)."""
    from axes.utils import reset

    reset(username=username)


# --- accounts -------------------------------------------------------------------------------


def account_of(user: User) -> Account:
    account, _created = Account.objects.get_or_create(user=user)
    return account


def home_commune(user: User) -> Commune | None:
    """The one commune ``user`` works in, if any."""
    account = Account.objects.filter(user=user).select_related("commune").first()
    if account is not None and account.commune is not None:
        return account.commune
    membership = (
        Membership.objects.filter(user=user, commune__isnull=False)
        .select_related("commune")
        .first()
    )
    return membership.commune if membership else None


def _person_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "email": user.email,
        "is_active": user.is_active,
    }


@dataclass
class PersonData:
    """What an administrator types (or a sheet's row holds) to create a person."""

    full_name: str
    username: str
    email: str
    role: str
    unit: Unit | None


def _clean_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def person_errors(*, commune: Commune, data: PersonData) -> list[str]:
    """Everything wrong with ``data`` for a new person of ``commune``, as Vietnamese sentences."""
    return _identity_errors(data) + _role_errors(commune=commune, role=data.role, unit=data.unit)


def _identity_errors(data: PersonData) -> list[str]:
    errors = []
    if not data.full_name:
        errors.append(_("Thiếu họ tên."))
    elif len(data.full_name) > 150:
        errors.append(_("Họ tên dài quá 150 ký tự."))
    errors.extend(_username_errors(data.username))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            errors.append(_("Email “%(email)s” không hợp lệ.") % {"email": data.email})
    return errors


def _username_errors(username: str) -> list[str]:
    if not username:
        return [_("Thiếu tên đăng nhập.")]
    if len(username) > 150:
        return [_("Tên đăng nhập dài quá 150 ký tự.")]
    try:
        ASCIIUsernameValidator()(username)
    except ValidationError:
        return [
            _(
                "Tên đăng nhập “%(username)s” chỉ được dùng chữ không dấu, chữ số và các dấu "
                ". @ + - _ (không có khoảng trắng)."
            )
            % {"username": username}
        ]
    # Case-insensitively: "CongAn" and "congan" would be two accounts nobody can tell apart.
    if User.objects.filter(username__iexact=username).exists():
        return [_("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username}]
    return []


def _role_errors(*, commune: Commune, role: str, unit: Unit | None) -> list[str]:
    if role not in {r.value for r in COMMUNE_ROLES}:
        return [_("Hãy chọn một vai trò: %(roles)s.") % {"roles": role_labels()}]
    if unit is not None and unit.commune_id != commune.pk:
        return [_("Đơn vị không thuộc %(commune)s.") % {"commune": commune}]
    if unit is not None and not unit.is_active:
        return [_("Đơn vị “%(unit)s” đã ngừng hoạt động.") % {"unit": unit.name}]
    if role in UNIT_ROLES and unit is None:
        return [
            _("Vai trò “%(role)s” cần chọn đơn vị của người dùng.") % {"role": Role(role).label}
        ]
    return []


@transaction.atomic
def person_create(*, actor: User, commune: Commune, data: PersonData) -> tuple[User, str]:
    """A new person of ``commune`` with one role; returns them and their temporary password."""
    data = PersonData(
        full_name=_clean_text(data.full_name),
        username=data.username.strip(),
        email=data.email.strip(),
        role=data.role,
        unit=data.unit,
    )
    errors = person_errors(commune=commune, data=data)
    if errors:
        raise AccountError(" ".join(errors))
    password = temporary_password()
    try:
        # A savepoint: a concurrent creation of the same name must not poison the outer
        # transaction of an import.
        with transaction.atomic():
            user = User.objects.create_user(
                username=data.username, email=data.email, password=password
            )
    except IntegrityError:
        raise AccountError(
            _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": data.username}
        ) from None
    # Vietnamese names are written family name first: keep the whole name in one field.
    user.first_name = data.full_name
    user.save(update_fields=["first_name"])
    Account.objects.create(user=user, commune=commune, must_change_password=True)
    audit_record(
        actor=actor,
        action="account.create",
        summary=_("Tạo tài khoản %(username)s (%(name)s)")
        % {"username": user.username, "name": data.full_name},
        obj=user,
        commune=commune,
        after=_person_snapshot(user),
    )
    membership_add(actor=actor, user=user, role=data.role, commune=commune, unit=data.unit)
    return user, password


@transaction.atomic
def person_update(
    *, actor: User, commune: Commune, person: User, full_name: str, email: str
) -> User:
    full_name, email = _clean_text(full_name), email.strip()
    if not full_name:
        raise AccountError(_("Thiếu họ tên."))
    if len(full_name) > 150:
        raise AccountError(_("Họ tên dài quá 150 ký tự."))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountError(_("Email “%(email)s” không hợp lệ.") % {"email": email}) from None
    before = _person_snapshot(person)
    person.first_name, person.last_name, person.email = full_name, "", email
    person.save(update_fields=["first_name", "last_name", "email"])
    audit_record(
        actor=actor,
        action="account.update",
        summary=_("Sửa thông tin tài khoản %(username)s") % {"username": person.username},
        obj=person,
        commune=commune,
        before=before,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def person_set_active(*, actor: User, commune: Commune, person: User, active: bool) -> User:
    """Disable (or enable again) a person's account. Nobody is ever deleted: their reports,
    reviews and audit entries keep their name. A disabled person cannot sign in, and any
    session they still have stops working at their next request."""
    if person.pk == actor.pk and not active:
        raise AccountError(_("Bạn không thể tự khóa tài khoản của mình."))
    if person.is_active == active:
        return person
    before = _person_snapshot(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        api_tokens_revoke_all(user=person, actor=actor, reason=_("tài khoản bị khóa"))
    audit_record(
        actor=actor,
        action="account.enable" if active else "account.disable",
        summary=(_("Mở lại tài khoản %(username)s") if active else _("Khóa tài khoản %(username)s"))
        % {"username": person.username},
        obj=person,
        commune=commune,
        before=before,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def password_reset(*, actor: User, commune: Commune, person: User) -> str:
    """A new temporary password for ``person``, to be changed at their next sign-in.

    Their current sessions end (the password is part of the session's check) and any
    lock-out from failed sign-ins is lifted."""
    if person.pk == actor.pk:
        raise AccountError(_("Hãy đổi mật khẩu của chính mình ở mục “Đổi mật khẩu”."))
    password = temporary_password()
    person.set_password(password)
    person.save(update_fields=["password"])
    account = account_of(person)
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    _unlock(person.username)
    api_tokens_revoke_all(user=person, actor=actor, reason=_("mật khẩu được đặt lại"))
    audit_record(
        actor=actor,
        action="account.password_reset",
        summary=_("Đặt lại mật khẩu tài khoản %(username)s") % {"username": person.username},
        obj=person,
        commune=commune,
    )
    return password


@transaction.atomic
def password_changed(*, user: User) -> None:
    """The user chose their own password: the temporary one is gone."""
    Account.objects.filter(user=user).update(must_change_password=False)
    api_tokens_revoke_all(user=user, actor=user, reason=_("đổi mật khẩu"))
    audit_record(
        actor=user,
        action="account.password_change",
        summary=_("%(username)s đổi mật khẩu") % {"username": user.username},
        obj=user,
        commune=home_commune(user),
    )


# --- roles ----------------------------------------------------------------------------------


def one_commune_error(*, user: User, commune: Commune, ignore: Membership | None = None) -> str:
    """Why ``user`` may not hold a role in ``commune`` ("" when they may).

    A user holds roles in one commune only; a province officer (province-level) may also
    hold roles in the communes of their province.
    """
    memberships = Membership.objects.filter(user=user).select_related("commune")
    if ignore is not None and ignore.pk:
        memberships = memberships.exclude(pk=ignore.pk)
    provinces = {m.province_id for m in memberships if m.role == Role.PROVINCE_OFFICER}
    if provinces:
        if commune.province_id in provinces:
            return ""
        return _("Cán bộ cấp tỉnh chỉ nhận vai trò ở các xã/phường của tỉnh mình.")
    elsewhere = {str(m.commune) for m in memberships if m.commune and m.commune_id != commune.pk}
    account = Account.objects.filter(user=user).select_related("commune").first()
    if account and account.commune and account.commune_id != commune.pk:
        elsewhere.add(str(account.commune))
    if elsewhere:
        return _("%(username)s đang thuộc %(other)s: mỗi người chỉ có vai trò ở một xã/phường.") % {
            "username": user.username,
            "other": ", ".join(sorted(elsewhere)),
        }
    return ""


def _admin_in_unit_error(*, user: User, commune: Commune, role: str) -> str:
    """Why ``user`` may not take ``role``: a commune admin holds no unit role (and the other
    way round). Whoever makes accounts and hands out roles does not also report as a unit;
    separation of duties (``accounts.policy.own_work``) stops self-approval whatever the roles,
    this keeps the admin's own roles from inviting it."""
    held = set(Membership.objects.filter(user=user, commune=commune).values_list("role", flat=True))
    if (role == Role.COMMUNE_ADMIN and held & UNIT_ROLES) or (
        role in UNIT_ROLES and Role.COMMUNE_ADMIN in held
    ):
        return _(
            "Quản trị xã/phường không đồng thời giữ vai trò của đơn vị: người cấp tài khoản "
            "và vai trò không báo cáo thay đơn vị."
        )
    return ""


@transaction.atomic
def membership_add(
    *, actor: User, user: User, role: str, commune: Commune, unit: Unit | None = None
) -> Membership:
    """Give ``user`` a role in ``commune``, in keeping with ``one_commune_error``."""
    errors = _role_errors(commune=commune, role=role, unit=unit)
    if errors:
        raise AccountError(" ".join(errors))
    # Lock the user's row: two administrators adding roles at once must not put one person
    # in two communes.
    lock_row(User, user.pk)
    error = one_commune_error(user=user, commune=commune) or _admin_in_unit_error(
        user=user, commune=commune, role=role
    )
    if error:
        raise AccountError(error)
    if Membership.objects.filter(user=user, role=role, commune=commune, unit=unit).exists():
        raise AccountError(_("Người dùng đã có vai trò này."))
    account = account_of(user)
    is_province_level = user.memberships.filter(role=Role.PROVINCE_OFFICER).exists()
    if account.commune_id is None and not is_province_level:
        account.commune = commune
        account.save(update_fields=["commune"])
    membership = Membership.objects.create(user=user, role=role, commune=commune, unit=unit)
    audit_record(
        actor=actor,
        action="membership.add",
        summary=_("Giao vai trò %(role)s%(unit)s cho %(username)s")
        % {
            "role": Role(role).label,
            "unit": f" ({unit.name})" if unit else "",
            "username": user.username,
        },
        obj=membership,
        commune=commune,
        after={"role": role, "unit": unit.name if unit else None},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    if membership.user_id == actor.pk and membership.role == Role.COMMUNE_ADMIN:
        raise AccountError(
            _("Bạn không thể tự bỏ vai trò quản trị của mình; hãy nhờ một quản trị viên khác.")
        )
    audit_record(
        actor=actor,
        action="membership.remove",
        summary=_("Bỏ vai trò %(role)s%(unit)s của %(username)s")
        % {
            "role": membership.get_role_display(),
            "unit": f" ({membership.unit.name})" if membership.unit else "",
            "username": membership.user.username,
        },
        obj=membership,
        commune=membership.commune,
        before={"role": membership.role, "unit": membership.unit.name if membership.unit else None},
    )
    membership.delete()


# --- units ----------------------------------------------------------------------------------


def _unit_name_errors(*, commune: Commune, name: str, unit: Unit | None = None) -> str:
    if not name:
        return _("Hãy nhập tên đơn vị.")
    if len(name) > 200:
        return _("Tên đơn vị dài quá 200 ký tự.")
    others = Unit.objects.filter(commune=commune, name__iexact=name)
    if unit is not None:
        others = others.exclude(pk=unit.pk)
    if others.exists():
        return _("%(commune)s đã có đơn vị “%(name)s”.") % {"commune": commune, "name": name}
    return ""


@transaction.atomic
def unit_create(*, actor: User, commune: Commune, name: str) -> Unit:
    name = _clean_text(name)
    error = _unit_name_errors(commune=commune, name=name)
    if error:
        raise AccountError(error)
    unit = Unit.objects.create(commune=commune, name=name)
    audit_record(
        actor=actor,
        action="unit.create",
        summary=_("Thêm đơn vị “%(name)s”") % {"name": name},
        obj=unit,
        commune=commune,
        after={"name": name},
    )
    return unit


@transaction.atomic
def unit_rename(*, actor: User, unit: Unit, name: str) -> Unit:
    """Rename a unit; the old name is remembered as a spelling, so a plan that still uses
    it is matched to the unit at its next import."""
    name = _clean_text(name)
    if name == unit.name:
        return unit
    error = _unit_name_errors(commune=unit.commune, name=name, unit=unit)
    if error:
        raise AccountError(error)
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name"])
    UnitAlias.objects.filter(commune=unit.commune, spelling=name).delete()
    unit_alias_remember(commune=unit.commune, spelling=old, unit=unit)
    audit_record(
        actor=actor,
        action="unit.rename",
        summary=_("Đổi tên đơn vị “%(old)s” thành “%(new)s”") % {"old": old, "new": name},
        obj=unit,
        commune=unit.commune,
        before={"name": old},
        after={"name": name},
    )
    return unit


@transaction.atomic
def unit_set_active(*, actor: User, unit: Unit, active: bool) -> Unit:
    """Stop (or resume) a unit: it leaves the pickers; its tasks and reports stay as they are."""
    if unit.is_active == active:
        return unit
    unit.is_active = active
    unit.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="unit.enable" if active else "unit.disable",
        summary=(
            _("Cho đơn vị “%(name)s” hoạt động trở lại")
            if active
            else _("Ngừng hoạt động đơn vị “%(name)s”")
        )
        % {"name": unit.name},
        obj=unit,
        commune=unit.commune,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return unit


# --- the public page ------------------------------------------------------------------------


def public_page_enabled(commune: Commune) -> bool:
    return CommuneSettings.objects.filter(commune=commune, public_page=True).exists()


@transaction.atomic
def public_page_set(*, actor: User, commune: Commune, enabled: bool) -> CommuneSettings:
    settings_row, _created = CommuneSettings.objects.get_or_create(commune=commune)
    if settings_row.public_page == enabled:
        return settings_row
    settings_row.public_page = enabled
    settings_row.save(update_fields=["public_page"])
    audit_record(
        actor=actor,
        action="commune.public_page",
        summary=_("Bật trang công khai") if enabled else _("Tắt trang công khai"),
        obj=settings_row,
        commune=commune,
        after={"public_page": enabled},
    )
    return settings_row


# --- importing people from a sheet ----------------------------------------------------------

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 1000

_HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("họ tên", "họ và tên", "họ tên đầy đủ"),
    "username": ("tên đăng nhập", "tài khoản", "username"),
    "email": ("email", "e-mail", "thư điện tử"),
    "role": ("vai trò", "chức năng"),
    "unit": ("đơn vị", "cơ quan", "đơn vị công tác"),
}
_REQUIRED_HEADERS = ("full_name", "username", "role")


@dataclass
class ImportRow:
    """One person of the sheet, as read, with what is wrong with it (empty when all is well)."""

    line: int
    full_name: str
    username: str
    email: str
    role_text: str
    unit_text: str
    role: str = ""
    role_label: str = ""
    unit_id: str = ""
    unit_name: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean_text(str(value))


def _header_map(row: Sequence[str]) -> dict[str, int]:
    found = {}
    for index, text in enumerate(row):
        folded = fold(text)
        for key, words in _HEADERS.items():
            if key not in found and folded in {fold(w) for w in words}:
                found[key] = index
    return found


def _sheet_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if len(data) > IMPORT_MAX_BYTES:
        raise AccountError(
            _("Tệp quá lớn (tối đa %(max)d MB).") % {"max": IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    if not data.startswith(b"PK"):
        raise AccountError(_("Đây không phải tệp Excel (.xlsx). Hãy lưu bảng dưới dạng .xlsx."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise AccountError(
            _("Không đọc được tệp Excel này. Hãy mở lại bằng Excel và lưu dưới dạng .xlsx.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > IMPORT_MAX_ROWS + 20:
                break
        return rows
    finally:
        workbook.close()


def people_import_read(*, commune: Commune, data: bytes) -> list[ImportRow]:
    """The sheet's people with each row's problems; nothing is saved.

    The sheet needs a header row naming the columns (họ tên, tên đăng nhập, email, vai trò,
    đơn vị), in any order; roles may be written as the commune writes them ("Cán bộ đơn vị",
    "Lãnh đạo", "MTTQ"), units by their name or a spelling the commune already uses.
    """
    rows = _sheet_rows(data)
    header_at, columns = -1, {}
    for index, row in enumerate(rows[:20]):
        columns = _header_map(row)
        if all(key in columns for key in _REQUIRED_HEADERS):
            header_at = index
            break
    if header_at < 0:
        raise AccountError(
            _(
                "Không tìm thấy dòng tiêu đề. Dòng đầu bảng cần có các cột: Họ tên, Tên đăng "
                "nhập, Email, Vai trò, Đơn vị."
            )
        )

    def value(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else ""

    people = []
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        if not any(row):
            continue
        people.append(
            ImportRow(
                line=offset,
                full_name=value(row, "full_name"),
                username=value(row, "username"),
                email=value(row, "email"),
                role_text=value(row, "role"),
                unit_text=value(row, "unit"),
            )
        )
    if not people:
        raise AccountError(_("Bảng không có người dùng nào bên dưới dòng tiêu đề."))
    if len(people) > IMPORT_MAX_ROWS:
        raise AccountError(
            _("Mỗi lần chỉ nhập tối đa %(max)d người; hãy chia bảng thành nhiều tệp.")
            % {"max": IMPORT_MAX_ROWS}
        )
    return people_import_check(commune=commune, rows=people)


def _unit_lookup(commune: Commune) -> dict[str, Unit]:
    units = {}
    for alias in UnitAlias.objects.filter(commune=commune).select_related("unit"):
        units[fold(alias.spelling)] = alias.unit
    for unit in Unit.objects.of_commune(commune):
        units[fold(unit.name)] = unit
    return units


def people_import_check(*, commune: Commune, rows: Iterable[ImportRow]) -> list[ImportRow]:
    """Fill each row's role, unit and errors (again, at commit: the commune may have changed)."""
    units = _unit_lookup(commune)
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        row.errors = []
        row.role = role_from_text(row.role_text) or ""
        row.role_label = str(Role(row.role).label) if row.role else ""
        unit = units.get(fold(row.unit_text)) if row.unit_text else None
        row.unit_id = str(unit.public_id) if unit else ""
        row.unit_name = unit.name if unit else ""
        if row.role_text and not row.role:
            row.errors.append(
                _("Không hiểu vai trò “%(text)s”. Dùng một trong: %(roles)s.")
                % {"text": row.role_text, "roles": role_labels()}
            )
        if row.unit_text and unit is None:
            row.errors.append(
                _("Không có đơn vị “%(text)s” trong %(commune)s.")
                % {"text": row.unit_text, "commune": commune}
            )
        row.errors.extend(
            _identity_errors(
                PersonData(
                    full_name=row.full_name,
                    username=row.username,
                    email=row.email,
                    role=row.role,
                    unit=unit,
                )
            )
        )
        # An unknown role or unit was already named above; don't say it twice.
        if not (row.role_text and not row.role) and not (row.unit_text and unit is None):
            row.errors.extend(_role_errors(commune=commune, role=row.role, unit=unit))
        key = row.username.lower()
        if key and key in seen:
            row.errors.append(
                _("Tên đăng nhập “%(username)s” lặp lại dòng %(line)d.")
                % {"username": row.username, "line": seen[key]}
            )
        seen.setdefault(key, row.line)
        checked.append(row)
    return checked


@dataclass(frozen=True)
class CreatedPerson:
    user: User
    password: str
    role_label: str
    unit_name: str


def people_import_commit(
    *, actor: User, commune: Commune, rows: Iterable[ImportRow]
) -> list[CreatedPerson]:
    """Create every row's person, or nobody: one transaction for the whole sheet."""
    rows = people_import_check(commune=commune, rows=rows)
    if any(row.errors for row in rows):
        raise AccountError(
            _("Bảng còn dòng có lỗi; chưa tạo tài khoản nào. Hãy sửa tệp rồi tải lên lại.")
        )
    units = {str(u.public_id): u for u in Unit.objects.of_commune(commune)}
    created = []
    with transaction.atomic():
        for row in rows:
            user, password = person_create(
                actor=actor,
                commune=commune,
                data=PersonData(
                    full_name=row.full_name,
                    username=row.username,
                    email=row.email,
                    role=row.role,
                    unit=units.get(row.unit_id),
                ),
            )
            created.append(CreatedPerson(user, password, row.role_label, row.unit_name))
    return created


# --- sign-in and refused access on the audit trail ------------------------------------------


@dataclass(frozen=True)
class SignIn:
    """What a sign-in entry is about when no account matches the name typed."""

    pk: str


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from .lockout import client_address

    return client_address(request)


@transaction.atomic
def sign_in_record(*, user: User, request: HttpRequest | None) -> None:
    audit_record(
        actor=user,
        action="auth.login",
        summary=_("%(username)s đăng nhập") % {"username": user.username},
        obj=user,
        commune=home_commune(user),
        after={"ip": _address(request)},
    )


@transaction.atomic
def sign_in_failed_record(*, username: str, request: HttpRequest | None) -> None:
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action="auth.login_failed",
        summary=_("Đăng nhập không thành công với tên “%(username)s”") % {"username": username},
        obj=user or SignIn(pk=username[:64]),
        commune=home_commune(user) if user else None,
        after={"ip": _address(request), "username": username[:150]},
    )


@transaction.atomic
def locked_out_record(*, username: str, request: HttpRequest, reasons: Iterable[str]) -> None:
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action="auth.locked_out",
        summary=_("Tạm khóa đăng nhập (“%(username)s”) do đăng nhập sai nhiều lần")
        % {"username": username},
        obj=user or SignIn(pk=username[:64]),
        commune=home_commune(user) if user else None,
        after={"ip": _address(request), "username": username[:150], "by": sorted(reasons)},
    )


@dataclass(frozen=True)
class Access:
    """What a refused-access entry is about: the page or object asked for."""

    pk: str


def access_denied_record(*, user: User | None, commune: Commune | None, what: str) -> None:
    """On the audit trail once per user and minute; the rest are counted (``RefusalTally``)."""
    audit_refusal(
        actor=user,
        action="access.denied",
        summary=_("Từ chối truy cập: %(what)s") % {"what": what},
        what=what,
        obj=Access(pk=what[:64]),
        commune=commune,
    )
