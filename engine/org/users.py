"""People, groups, passwords (scrypt) and API bearer tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, InvalidInput, NotFound, Unauthorized
from engine.models import ApiToken, Membership, User

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TOKEN_PREFIX = "ot_"


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


def add_user(session: Session, username: str, password: str | None = None, *,
             groups: list[str] | None = None, admin: bool = False, display_name: str = "",
             exist_ok: bool = False) -> User:
    """Create a user (or, with EXIST_OK, update its groups and password)."""
    username = username.strip()
    if not username or len(username) > 80 or any(c.isspace() for c in username):
        raise InvalidInput("a username is 1-80 characters without spaces")
    user = session.scalar(select(User).where(User.username == username))
    if user is not None and not exist_ok:
        raise Conflict(f"user '{username}' already exists")
    if user is None:
        user = User(username=username, display_name=display_name or username,
                    created_at=clock.now(), is_admin=admin)
        session.add(user)
    user.is_admin = admin or user.is_admin
    if password:
        user.password_hash = hash_password(password)
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
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not check_password(user.password_hash, password):
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
