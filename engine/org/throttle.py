"""The sign-in throttle: failed passwords per account and per client address, and unknown
bearer tokens per address, counted over a sliding window in the sign_in_attempts table.

The attempts live in the application's own database, so every web worker (several gunicorn
processes on PostgreSQL, or one process on SQLite) counts the same attempts without another
service. A password attempt is written as pending and committed before its password is
checked, then counted again: of several attempts racing on different workers, each sees
the others, so no more than the limit are ever checked in one window.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.errors import Throttled
from engine.models import SignInAttempt

PASSWORD = "password"
TOKEN = "token"
PENDING = "pending"
FAILED = "failed"
ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Limits:
    """How many failures one window allows before further attempts are refused."""

    account: int = 5
    address: int = 20
    tokens: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    """A password attempt noted as pending: its row, account and address key."""

    id: int
    account: str
    address: str


def address_key(address: str | None) -> str:
    """The key a client address is counted under: IPv4 as it is, IPv6 by its /64 network.

    One IPv6 host usually holds a whole /64, so counting single addresses would let it
    change address at every attempt.
    """
    text = (address or "").strip()
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return text[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _times(session: Session, kind: str, since: datetime,
           where: ColumnElement[bool]) -> list[datetime]:
    """When each attempt still counted was made, oldest first."""
    return list(session.scalars(
        select(SignInAttempt.at).where(SignInAttempt.kind == kind, SignInAttempt.at > since,
                                       where).order_by(SignInAttempt.at)))


def _over(times: list[datetime], limit: int, window: timedelta) -> int | None:
    """Seconds until fewer than LIMIT of TIMES remain in the window, or None if they are."""
    if len(times) < limit:
        return None
    frees_at = times[len(times) - limit] + window
    return max(1, math.ceil((frees_at - clock.now()).total_seconds()))


def _refusal(session: Session, limits: Limits, kind: str, address: str,
             account: str | None, *, own: int = 0) -> Throttled | None:
    """The refusal due when the account or address reached its limit (OWN: rows of the
    attempt being judged, which the limit does not count)."""
    since = clock.now() - limits.window
    if account is not None:
        wait = _over(_times(session, kind, since, SignInAttempt.account == account),
                     limits.account + own, limits.window)
        if wait is not None:
            return Throttled(f"too many failed sign-ins for this account; try again in "
                             f"{wait} seconds", scope=ACCOUNT, retry_after=wait)
    limit = limits.address if kind == PASSWORD else limits.tokens
    wait = _over(_times(session, kind, since, SignInAttempt.address == address),
                 limit + own, limits.window)
    if wait is None:
        return None
    what = "sign-ins" if kind == PASSWORD else "tokens"
    return Throttled(f"too many failed {what} from this address; try again in {wait} seconds",
                     scope=ADDRESS, retry_after=wait)


def prune(session: Session, limits: Limits) -> None:
    """Forget the attempts the window no longer counts."""
    session.execute(delete(SignInAttempt).where(
        SignInAttempt.at < clock.now() - limits.window))


def begin_sign_in(session: Session, limits: Limits, username: str,
                  address: str | None) -> Attempt:
    """Refuse a sign-in while its account or address is locked; else note it as pending.

    The caller commits before it calls ``admitted``, so racing attempts see this one.
    """
    key, account = address_key(address), username[:80]
    prune(session, limits)
    refusal = _refusal(session, limits, PASSWORD, key, account)
    if refusal is not None:
        raise refusal
    row = SignInAttempt(kind=PASSWORD, account=account, address=key, at=clock.now(),
                        outcome=PENDING)
    session.add(row)
    session.flush()
    return Attempt(row.id, account, key)


def admitted(session: Session, limits: Limits, attempt: Attempt) -> Throttled | None:
    """Recount ATTEMPT once racing attempts are committed: None if it fits, else the refusal.

    A refused attempt is forgotten (the caller commits that).
    """
    refusal = _refusal(session, limits, PASSWORD, attempt.address, attempt.account, own=1)
    if refusal is not None:
        session.execute(delete(SignInAttempt).where(SignInAttempt.id == attempt.id))
    return refusal


def succeeded(session: Session, attempt: Attempt) -> None:
    """Forget ATTEMPT and its account's failures; its address keeps counting its own."""
    session.execute(delete(SignInAttempt).where(SignInAttempt.id == attempt.id))
    session.execute(delete(SignInAttempt).where(SignInAttempt.kind == PASSWORD,
                                                SignInAttempt.account == attempt.account,
                                                SignInAttempt.outcome == FAILED))


def failed(session: Session, limits: Limits, attempt: Attempt) -> Throttled | None:
    """Count ATTEMPT as a failure; return the lock it completes, if any (and audit it)."""
    session.execute(update(SignInAttempt).where(SignInAttempt.id == attempt.id)
                    .values(outcome=FAILED))
    since = clock.now() - limits.window
    accounts = _times(session, PASSWORD, since, SignInAttempt.account == attempt.account)
    addresses = _times(session, PASSWORD, since, SignInAttempt.address == attempt.address)
    for scope, times, limit in ((ACCOUNT, accounts, limits.account),
                                (ADDRESS, addresses, limits.address)):
        if len(times) == limit:
            _audit_lock(session, f"sign_in.{scope}_locked", limits, attempt.address,
                        times, account=attempt.account if scope == ACCOUNT else None)
    return _refusal(session, limits, PASSWORD, attempt.address, attempt.account)


def check_tokens(session: Session, limits: Limits, address: str | None) -> None:
    """Refuse every bearer token from ADDRESS while it is locked for unknown tokens."""
    refusal = _refusal(session, limits, TOKEN, address_key(address), None)
    if refusal is not None:
        raise refusal


def token_failed(session: Session, limits: Limits, address: str | None) -> None:
    """Count an unknown (or revoked) bearer token from ADDRESS; audit the lock it completes."""
    key = address_key(address)
    prune(session, limits)
    session.add(SignInAttempt(kind=TOKEN, account=None, address=key, at=clock.now(),
                              outcome=FAILED))
    session.flush()
    times = _times(session, TOKEN, clock.now() - limits.window, SignInAttempt.address == key)
    if len(times) == limits.tokens:
        _audit_lock(session, "sign_in.tokens_locked", limits, key, times)


def _audit_lock(session: Session, action: str, limits: Limits, address: str,
                times: list[datetime], *, account: str | None = None) -> None:
    until = times[0] + limits.window
    detail: dict[str, Any] = {"address": address, "failures": len(times),
                              "until": until.isoformat()}
    if account is not None:
        detail["username"] = account
    audit.record(session, "engine", action, **detail)
