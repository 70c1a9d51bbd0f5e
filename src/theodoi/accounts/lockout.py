"""Lock-out after repeated failed sign-ins, per account and per address (django-axes).

The two limits differ on purpose: a commune's office signs in from one address shared by
everyone in it, so a few mistyped passwords from colleagues must not lock the whole office,
while a single account is locked after a handful of failures whatever the address.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

ACCOUNT = "username"
ADDRESS = "ip_address"


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        address = ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def is_trusted_proxy(address: IPv4Address | IPv6Address) -> bool:
    trusted = _networks(tuple(getattr(settings, "THEODOI_TRUSTED_PROXIES", ())))
    return any(address in network for network in trusted)


def client_address(request: HttpRequest) -> str:
    """The client's address as the lock-out counts it, unforgeable with or without a proxy.

    X-Forwarded-For is believed only from a peer listed in ``THEODOI_TRUSTED_PROXIES`` (nginx
    on the same machine: loopback by default). It is then read from the right, past every
    trusted proxy: the first address that is not one of ours is the client; anything further
    left the client may have written itself. A request from any other peer is counted under
    its own address, whatever header it sends.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    peer = _address(remote)
    if peer is None or not is_trusted_proxy(peer):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
    client = peer
    for entry in reversed([part for part in forwarded if part.strip()]):
        hop = _address(entry)
        if hop is None:
            # Not an address our proxy would write: stop at the last hop we can vouch for.
            break
        client = hop
        if not is_trusted_proxy(hop):
            break
    return str(client)


def address_limit() -> int:
    return int(getattr(settings, "THEODOI_LOGIN_FAILURES_PER_ADDRESS", 20))


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per account and another per address.

    Axes compares one failure count with one limit (``AXES_FAILURE_LIMIT``, the per-account
    limit here); the address's count is scaled so that it reaches that limit exactly when
    it reaches its own.
    """

    def failure_counts(self, request: Any, credentials: dict[str, Any] | None) -> dict[str, int]:
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in that order.
        attempts = self.get_user_attempts(request, credentials)
        counts = {}
        for parameter, queryset in zip(settings.AXES_LOCKOUT_PARAMETERS, attempts, strict=True):
            counts[parameter] = sum(queryset.values_list("failures_since_start", flat=True))
        return counts

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        counts = self.failure_counts(request, credentials)
        account_limit = int(settings.AXES_FAILURE_LIMIT)
        scaled = counts.get(ADDRESS, 0) * account_limit // max(address_limit(), 1)
        return max(counts.get(ACCOUNT, 0), scaled)


def lockout_reasons(request: HttpRequest, credentials: dict[str, Any] | None) -> set[str]:
    """Which limits ``request`` has reached: ``ACCOUNT``, ``ADDRESS`` or both."""
    counts = LockoutHandler().failure_counts(request, credentials)
    reasons = set()
    if counts.get(ACCOUNT, 0) >= int(settings.AXES_FAILURE_LIMIT):
        reasons.add(ACCOUNT)
    if counts.get(ADDRESS, 0) >= address_limit():
        reasons.add(ADDRESS)
    return reasons


def attempts_left(request: HttpRequest) -> int | None:
    """How many more failures the account typed on ``request``'s form may have, or None."""
    username = get_client_username(request)
    if not username or not hasattr(request, "axes_attempt_time"):
        return None
    counts = LockoutHandler().failure_counts(request, {"username": username})
    return max(int(settings.AXES_FAILURE_LIMIT) - counts.get(ACCOUNT, 0), 0)


class LockoutBackend(AxesStandaloneBackend):
    """Axes' gate before the password check, for sign-ins made through a web request.

    Without a request there is no address and no form to answer with a lock-out page: the
    test client's ``login()`` and management commands. Axes would refuse them outright;
    here they pass to the password check.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def account_locked(username: str) -> bool:
    """Whether ``username`` is locked out now by its own failures (from any address)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return (failures or 0) >= int(settings.AXES_FAILURE_LIMIT)
