"""API tokens: created and revoked by their user in the UI, checked on every API request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from theodoi.audit.services import audit_record

from .models import ApiToken

TOKEN_PREFIX = "td_"
# Recording every use would write to the database on every request; once a minute is enough
# to tell a user which tokens are still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


class TokenError(Exception):
    """A refused token action; ``message`` is one Vietnamese sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def credential_stamp(password_hash: str) -> str:
    """What binds a token to the password its user had when it was made: the password's
    hash changes whenever the password does, by whatever path, so a stale stamp is refused
    without any code path having to remember to revoke. A plain digest, not keyed with
    SECRET_KEY: rotating the key must not end every token (the hash it digests is already
    salted and sits in the same database)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the secret, which is never stored or shown
    again."""
    name = " ".join(name.split())
    if not name:
        raise TokenError(_("Hãy đặt tên cho mã truy cập, ví dụ “Trung tâm điều hành tỉnh”."))
    if len(name) > 100:
        raise TokenError(_("Tên mã truy cập dài quá 100 ký tự."))
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            _("Bạn đã có %(n)d mã truy cập đang dùng; hãy thu hồi mã không còn cần trước.")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        digest=token_digest(raw),
        credential=credential_stamp(user.password),
    )
    audit_record(
        actor=user,
        action="api_token.create",
        summary=_("Tạo mã truy cập API “%(name)s”") % {"name": name},
        obj=token,
        commune=None,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """Revoke a token at once: the next request made with it is refused."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise TokenError(_("Chỉ người tạo mã truy cập mới thu hồi được mã đó."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=user,
        action="api_token.revoke",
        summary=_("Thu hồi mã truy cập API “%(name)s”") % {"name": token.name},
        obj=token,
        commune=None,
    )
    return token


def api_tokens_revoke_all(*, user: User, actor: User, reason: str) -> int:
    """Revoke every active token of ``user`` at once (their password changed or was reset, or
    their account was disabled): a token must not outlive the credentials it was made with,
    nor come back when the account is enabled again. Returns how many were revoked."""
    count = ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
    if count:
        audit_record(
            actor=actor,
            action="api_token.revoke_all",
            summary=_("Thu hồi %(n)d mã truy cập API (%(reason)s)")
            % {"n": count, "reason": reason},
            obj=user,
            commune=None,
        )
    return count


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token ``raw`` names, of an active user; None for anything else."""
    raw = raw.strip()
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=token_digest(raw), user__is_active=True)
        .first()
    )
    if token is None or not constant_time_compare(
        token.credential, credential_stamp(token.user.password)
    ):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
