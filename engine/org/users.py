"""People, groups, passwords (scrypt) and API bearer tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
)
from engine.models import ApiToken, Membership, User
from engine.org import sessions

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TOKEN_PREFIX = "ot_"
MIN_PASSWORD_LENGTH = 10
# far beyond any passphrase; longer text is a mistake or an attempt to waste work
MAX_PASSWORD_LENGTH = 256
# checked against when the username is unknown, so that a missing account costs the same
# time as a wrong password and timing tells no one which accounts exist
_NO_ACCOUNT = ("scrypt$AAAAAAAAAAAAAAAAAAAAAA==$"
               "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def check_password(stored: str | None, password: str) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_b64, key_b64 = stored.split("$", 2)
    key = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt_b64), dklen=32,
                         **_SCRYPT)
    return hmac.compare_digest(key, base64.b64decode(key_b64))


def _character_classes(password: str) -> set[str]:
    return {"lower" if c.islower() else "upper" if c.isupper() else
            "digit" if c.isdigit() else "other" for c in password}


def password_problems(password: str, username: str) -> list[str]:
    """What makes PASSWORD unfit for USERNAME under the policy (nothing when it is fit)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"needs at least {MIN_PASSWORD_LENGTH} characters")
    elif len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"may have at most {MAX_PASSWORD_LENGTH} characters")
    if password and len(_character_classes(password)) < 2:
        problems.append("must mix at least two kinds of characters (lower-case letters, "
                        "capitals, digits, other characters)")
    if password and password.strip().casefold() == username.strip().casefold():
        problems.append("must not be the username")
    return problems


def check_password_policy(password: str, username: str) -> None:
    """Refuse PASSWORD for USERNAME unless the policy allows it (422 naming the field)."""
    problems = password_problems(password, username)
    if problems:
        raise InvalidInput("the password " + "; ".join(problems),
                           [FieldError("password", p) for p in problems])


def generate_password() -> str:
    """A random password that the policy accepts (shown once to a new applicant)."""
    while True:
        password = secrets.token_urlsafe(9)
        if not password_problems(password, ""):
            return password


def set_password(session: Session, user: User, password: str) -> int:
    """Give USER a new PASSWORD (policy checked) and end every session they have open.

    Returns how many sessions were ended.
    """
    check_password_policy(password, user.username)
    user.password_hash = hash_password(password)
    session.flush()
    return sessions.end_all(session, user.id, sessions.PASSWORD_CHANGED)


def verify_sign_in(session: Session, username: str, password: str) -> User | None:
    """The active user USERNAME if PASSWORD is theirs, else None (always one scrypt)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return None  # no password is that long; hashing megabytes would only cost time
    user = session.scalar(select(User).where(User.username == username)) if username else None
    stored = user.password_hash if user is not None and user.password_hash else _NO_ACCOUNT
    matches = check_password(stored, password)
    if user is None or not user.active or not user.password_hash or not matches:
        return None
    return user


def sign_out_everywhere(session: Session, actor: Actor, username: str) -> int:
    """End every browser session of USERNAME (administrators only); return how many."""
    if not actor.is_admin:
        raise Forbidden(f"{actor.username} may not sign others out (administrators only)")
    user = get_user(session, username)
    ended = sessions.end_all(session, user.id, sessions.EVERYWHERE)
    audit.record(session, actor, "user.signed_out_everywhere", username=user.username,
                 sessions=ended)
    return ended


def add_user(session: Session, username: str, password: str | None = None, *,
             groups: list[str] | None = None, admin: bool = False, display_name: str = "",
             exist_ok: bool = False, weak_password_ok: bool = False) -> User:
    """Create a user (or, with EXIST_OK, update its groups and password).

    The password must pass the policy; only the demo, whose passwords are published
    anyway, sets WEAK_PASSWORD_OK.
    """
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise InvalidInput("a username is 1-80 characters without spaces")
    if password and not weak_password_ok:
        check_password_policy(password, username)
    user = session.scalar(select(User).where(User.username == username))
    if user is not None and not exist_ok:
        raise Conflict(f"user '{username}' already exists")
    if user is None:
        user = User(username=username, display_name=display_name or username,
                    created_at=clock.now(), is_admin=admin)
        session.add(user)
    user.is_admin = admin or user.is_admin
    if password and not check_password(user.password_hash, password):
        # a changed password ends the sessions opened with the old one
        user.password_hash = hash_password(password)
        if user.id is not None:
            sessions.end_all(session, user.id, sessions.PASSWORD_CHANGED)
    have = {m.group_name for m in user.memberships}
    for group in groups or []:
        if group and group not in have:
            user.memberships.append(Membership(group_name=group))
            have.add(group)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"user '{username}' not found")
    return user


def actor_of(user: User) -> Actor:
    return Actor(user.username, frozenset(user.groups), user.is_admin)


def authenticate(session: Session, username: str, password: str) -> Actor:
    """The actor USERNAME signs in as with PASSWORD, or Unauthorized."""
    user = verify_sign_in(session, username, password)
    if user is None:
        raise Unauthorized("wrong username or password")
    return actor_of(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, username: str, name: str = "") -> str:
    """Issue a bearer token for USERNAME; only its hash is stored."""
    user = get_user(session, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_token_hash(token),
                         created_at=clock.now()))
    return token


def actor_for_token(session: Session, token: str) -> Actor:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token),
                                                ApiToken.revoked.is_(False)))
    if row is None:
        raise Unauthorized("unknown or revoked token")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("the token's user is disabled")
    return actor_of(user)


def list_tokens(session: Session, username: str) -> list[ApiToken]:
    """The tokens issued to USERNAME, newest first (hashes only; tokens are never stored)."""
    user = get_user(session, username)
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())))


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token by its id; a revoked token is refused from then on."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"token {token_id} not found")
    row.revoked = True
    return row
