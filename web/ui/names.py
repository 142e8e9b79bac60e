"""Names for the codes the engine stores: what a person reads instead of a code.

Pages never print an office, bundle, group, status or audit event code; they pass
it through one of the filters installed here (``office_name``, ``bundle_name``,
``group_name``, ``role_name``, ``status_name``, ``event_name``, ``level_name``,
``posting_name``, ``case_number``, ``person_name``). Each looks the
code up in the org model, the catalogue or the translation catalogue, in the
page's language, and falls back to the code itself only when nothing names it.
Lookups are read once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, g
from sqlalchemy import select

from engine.core.db import unit_of_work
from engine.models.cases import Case
from engine.models.catalog import Department
from engine.models.deployments import Deployment
from engine.models.offices import Office
from engine.models.users import User
from web.context import onething
from web.ui.i18n import _, lang


def _cached(key: str, load: Callable[[], dict[str, str]]) -> dict[str, str]:
    table: dict[str, str] | None = g.get(key)
    if table is None:
        table = load()
        setattr(g, key, table)
    return table


def _pick(zh: str, en: str) -> str:
    return (en or zh) if lang() == "en" else (zh or en)


def _reading() -> Any:
    return unit_of_work(onething().factory, read_only=True)


def _offices() -> dict[str, str]:
    with _reading() as session:
        return {o.code: _pick(o.name_zh, o.name_en) for o in session.scalars(select(Office))}


def _departments() -> dict[str, str]:
    with _reading() as session:
        return {d.code: _pick(d.name_zh, d.name_en)
                for d in session.scalars(select(Department))}


def _bundles() -> dict[str, str]:
    from engine.design import guides

    out: dict[str, str] = {}
    rt = onething().rt
    with _reading() as session:
        rows = session.execute(select(Deployment.bundle_key, Deployment.id)
                               .order_by(Deployment.bundle_key, Deployment.version.desc()))
        latest: dict[str, int] = {}
        for key, deployment_id in rows:
            latest.setdefault(key, deployment_id)
        for key, deployment_id in latest.items():
            files = rt.specs.get(session, deployment_id).files
            guide = guides.guide_of_version(rt.guides, deployment_id, files)
            if guide is not None:
                out[key] = guide.title.get(lang())
    return out


def office_name(code: str | None) -> str:
    """The office CODE names, in the page's language."""
    if not code:
        return ""
    return _cached("_names_offices", _offices).get(code, code)


def department_name(code: str | None) -> str:
    """The department CODE names."""
    if not code:
        return ""
    return _cached("_names_departments", _departments).get(code, code)


def bundle_name(key: str | None) -> str:
    """The title of the bundle KEY from its guide (its newest version)."""
    if not key:
        return ""
    return _cached("_names_bundles", _bundles).get(key, key)


def role_name(role: str) -> str:
    """A role of the org model in plain words."""
    names = {"window_clerk": _("window clerk"), "reviewer": _("reviewer"),
             "agent": _("agent"), "supervisor": _("supervisor"), "leader": _("leader"),
             "designer": _("designer"), "admin": _("administrator"),
             "applicant": _("the applicant"), "department": _("the department")}
    return names.get(role, role)


def group_name(group: str | None) -> str:
    """A candidate group ('reviewer@branch_tieying') as 'office role'."""
    if not group:
        return ""
    if group.startswith("office:"):  # everyone posted at an office
        return _("everyone at %(office)s", office=office_name(group[len("office:"):]))
    role, _sep, place = group.partition("@")
    if not place:
        return role_name(role)
    return f"{office_name(place)} {role_name(role)}"


def status_name(status: str | None) -> str:
    """A case, work item, cooperation, visit, booking, job or clock state in plain words."""
    if not status:
        return ""
    names = {
        "running": _("in progress"), "completed": _("completed"), "error": _("stopped by an error"),
        "cancelled": _("cancelled"), "withdrawn": _("withdrawn"), "suspended": _("suspended"),
        "open": _("open"), "claimed": _("claimed"), "done": _("done"),
        "requested": _("requested"), "assigned": _("assigned"), "escalated": _("escalated"),
        "replied": _("replied"), "closed": _("closed"), "pending": _("pending"),
        "failed": _("failed"), "sent": _("sent"), "booked": _("booked"),
        "answered": _("answered"), "draft": _("draft"), "submitted": _("submitted"),
        "verify": _("to verify"), "rectify": _("to rectify"), "reply": _("to reply"),
        "normal": _("on time"), "yellow": _("at risk"), "red": _("overdue"),
        "overdue": _("overdue"), "paused": _("paused"), "retry": _("to retry"),
        "moved": _("moved"), "approved": _("approved"), "refused": _("refused"),
    }
    return names.get(status, status)


def level_name(level: str | None) -> str:
    """An office level of the org model (bureau, center, branch, town, department)."""
    if not level:
        return ""
    names = {"bureau": _("approval bureau"), "center": _("service center"),
             "branch": _("branch office"), "town": _("town service center"),
             "department": _("county department")}
    return names.get(level, level)


def posting_name(posting: str | None) -> str:
    """How a person is posted at an office: resident or on missions."""
    if not posting:
        return ""
    return {"resident": _("resident"), "mission": _("on missions")}.get(posting, posting)


def person_name(username: str | None) -> str:
    """A user as 'display name (username)', or the username when it has no display name."""
    if not username:
        return ""
    known = _cached("_names_people", _empty)
    if username not in known:
        with _reading() as session:
            shown = session.scalar(select(User.display_name).where(User.username == username))
        known[username] = f"{shown} ({username})" if shown else username
    return known[username]


def _empty() -> dict[str, str]:
    return {}


def case_number(case_id: int | str | None) -> str:
    """The human number (LL-2026-000003) of the case with id CASE_ID; '' when there is none."""
    if case_id is None or case_id == "":
        return ""
    known = _cached("_names_empty", _empty)
    key = str(case_id)
    if key not in known:
        number = None
        if key.isascii() and key.isdigit() and int(key) < 2**63:
            with _reading() as session:
                number = session.scalar(select(Case.number).where(Case.id == int(key)))
        known[key] = number or key
    return known[key]


def event_name(kind: str | None) -> str:
    """An audit event kind ('draft.submitted') in plain words; the code when unnamed."""
    if not kind:
        return ""
    return EVENTS.get(kind, lambda: kind)()


def _follow_up(step: str) -> Callable[[], str]:
    return lambda: _("bad rating follow-up: %(step)s", step=status_name(step))


# every audit event kind the engine writes, as a person reads it on the audit pages
EVENTS: dict[str, Callable[[], str]] = {
    "agency.granted": lambda: _("agency granted"),
    "agency.revoked": lambda: _("agency revoked"),
    "appointment.booked": lambda: _("appointment booked"),
    "appointment.cancelled": lambda: _("appointment cancelled"),
    "appointment.moved": lambda: _("appointment moved"),
    "appointment.slot_opened": lambda: _("appointment slot opened"),
    "case.started": lambda: _("case started"),
    "case.completed": lambda: _("case completed"),
    "case.cancelled": lambda: _("case cancelled"),
    "case.withdrawn": lambda: _("case withdrawn"),
    "case.error": lambda: _("stopped by an error"),
    "case.retried": lambda: _("retried"),
    "case.commented": lambda: _("comment added"),
    "case.watched": lambda: _("started watching"),
    "case.unwatched": lambda: _("stopped watching"),
    "catalog.import": lambda: _("catalogue imported"),
    "clock.started": lambda: _("commitment clock started"),
    "clock.paused": lambda: _("commitment clock paused"),
    "clock.resumed": lambda: _("commitment clock resumed"),
    "clock.level": lambda: _("warning level changed"),
    "clock.extended": lambda: _("time limit extended"),
    "clock.ended": lambda: _("commitment clock stopped"),
    "cooperation.asked": lambda: _("co-handling asked"),
    "cooperation.answered": lambda: _("co-handling answered"),
    "deployment.created": lambda: _("process version deployed"),
    "draft.submitted": lambda: _("application submitted"),
    "external.failed": lambda: _("outside system failed"),
    "material.uploaded": lambda: _("material handed in"),
    "message.received": lambda: _("message received"),
    "signal.received": lambda: _("signal received"),
    "mobile_window.intake": lambda: _("mobile window intake"),
    "notification.failed": lambda: _("notification not delivered"),
    "offices.import": lambda: _("offices imported"),
    "rating.given": lambda: _("service rated"),
    "rating.follow_up_opened": lambda: _("bad rating follow-up opened"),
    "rating.follow_up_verify": _follow_up("verify"),
    "rating.follow_up_rectify": _follow_up("rectify"),
    "rating.follow_up_reply": _follow_up("reply"),
    "sign_in.account_locked": lambda: _("sign-in locked for the account"),
    "sign_in.address_locked": lambda: _("sign-in locked for the address"),
    "sign_in.tokens_locked": lambda: _("token sign-in locked"),
    "supervision.issued": lambda: _("supervision order issued"),
    "supervision.replied": lambda: _("supervision order answered"),
    "supervision.escalated": lambda: _("supervision escalated"),
    "task.claimed": lambda: _("task claimed"),
    "task.unclaimed": lambda: _("task given back"),
    "task.completed": lambda: _("task done"),
    "task.delegated": lambda: _("task delegated"),
    "timer.fired": lambda: _("timer fired"),
    "user.created": lambda: _("user created"),
    "user.activated": lambda: _("user reactivated"),
    "user.deactivated": lambda: _("user deactivated"),
    "user.groups_set": lambda: _("user's groups changed"),
    "user.roles_set": lambda: _("user's office roles changed"),
    "user.password_reset": lambda: _("password reset"),
    "user.signed_out_everywhere": lambda: _("signed out everywhere"),
    "visit.requested": lambda: _("door-to-door visit requested"),
    "visit.assigned": lambda: _("door-to-door visit assigned"),
    "visit.done": lambda: _("door-to-door visit done"),
    "visit.cancelled": lambda: _("door-to-door visit cancelled"),
}


def init(app: Flask) -> None:
    """Install the filters on APP."""
    for name, fn in (("office_name", office_name), ("department_name", department_name),
                     ("bundle_name", bundle_name), ("group_name", group_name),
                     ("role_name", role_name), ("status_name", status_name),
                     ("event_name", event_name), ("level_name", level_name),
                     ("posting_name", posting_name), ("case_number", case_number),
                     ("person_name", person_name)):
        app.add_template_filter(fn, name)
