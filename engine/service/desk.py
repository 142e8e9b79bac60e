"""The acceptance desk (受理台): a window clerk starts a case for a walk-in applicant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.casework import cases
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from engine.design import guides
from engine.models import Case, Deployment, Office, OfficeMember, User
from engine.org import users
from engine.runtime.engine import Engine

CLERK_ROLE = "window_clerk"
APPLICANT_GROUP = "applicant"
CHANNEL = "window"


@dataclass(frozen=True)
class Applicant:
    """Who the case is for: an existing applicant account, or a new one to create."""

    name: str
    username: str
    new: bool = False
    display_name: str = ""


@dataclass
class WalkIn:
    """The started case; PASSWORD is the new account's password, shown once."""

    case: Case
    applicant: str
    password: str | None


def clerk_offices(session: Session, actor: Actor) -> list[Office]:
    """The offices where ACTOR is posted as a window clerk."""
    return list(session.scalars(
        select(Office).join(OfficeMember, OfficeMember.office_id == Office.id)
        .join(User, User.id == OfficeMember.user_id)
        .where(User.username == actor.username, OfficeMember.role == CLERK_ROLE)
        .order_by(Office.code)))


def desk_office(session: Session, actor: Actor, code: str | None = None) -> Office:
    """The office ACTOR accepts at: CODE if given (one of theirs), else their only one."""
    offices = clerk_offices(session, actor)
    if not offices:
        raise Forbidden(f"{actor.username} is not posted as a window clerk at any office")
    if code is None:
        if len(offices) > 1:
            raise InvalidInput("choose the office you accept at",
                               [FieldError("office", "one of " + ", ".join(
                                   o.code for o in offices))])
        return offices[0]
    for office in offices:
        if office.code == code:
            return office
    raise InvalidInput(f"{actor.username} does not accept at office '{code}'",
                       [FieldError("office", "not one of your offices")])


def bundle_keys(session: Session) -> list[str]:
    """The deployed bundles, by key."""
    return list(session.scalars(select(Deployment.bundle_key).group_by(Deployment.bundle_key)
                                .order_by(Deployment.bundle_key)))


def latest_guide(rt: Engine, session: Session, key: str) -> guides.Guide | None:
    """The guide of the newest version of bundle KEY, if it has one."""
    dep = session.scalar(select(Deployment).where(Deployment.bundle_key == key)
                         .order_by(Deployment.version.desc()).limit(1))
    if dep is None:
        return None
    files = rt.specs.get(session, dep.id).files
    return guides.load_guide(files) if guides.GUIDE_FILE in files else None


def _account(session: Session, applicant: Applicant, actor: Actor) -> str | None:
    """Check or create the applicant's account; the new password, if one was made."""
    if applicant.new:
        if session.scalar(select(func.count()).select_from(User)
                          .where(User.username == applicant.username.strip())):
            raise Conflict(f"user '{applicant.username}' already exists; pick them instead")
        password = users.generate_password()
        users.add_user(session, applicant.username, password, groups=[APPLICANT_GROUP],
                       display_name=applicant.display_name or applicant.name)
        audit.record(session, actor, "user.created", username=applicant.username.strip(),
                     groups=[APPLICANT_GROUP], by="acceptance desk")
        return password
    user = session.scalar(select(User).where(User.username == applicant.username))
    if user is None or not user.active:
        raise InvalidInput(f"no applicant account '{applicant.username}'",
                           [FieldError("applicant_user", "no such active user")])
    if APPLICANT_GROUP not in user.groups:
        raise InvalidInput(f"'{applicant.username}' is not an applicant account",
                           [FieldError("applicant_user", "not in the applicant group")])
    return None


def start_walk_in(rt: Engine, session: Session, actor: Actor, bundle: str,
                  answers: dict[str, Any], applicant: Applicant, *,
                  office: str | None = None) -> WalkIn:
    """Start a case of BUNDLE at ACTOR's window for APPLICANT with the situational ANSWERS."""
    if not applicant.name.strip():
        raise InvalidInput("name the applicant", [FieldError("applicant", "is required")])
    accepting = desk_office(session, actor, office)
    password = _account(session, applicant, actor)
    username = applicant.username.strip()
    data = {"applicant": applicant.name.strip(), "answers": answers}
    # the clerk has seen the applicant's identity document at the window
    case = cases.start_case(rt, session, bundle, data, actor=actor, office=accepting.code,
                            channel=CHANNEL, applicant=username)
    return WalkIn(case, username, password)
