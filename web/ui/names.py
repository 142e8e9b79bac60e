"""Names for the codes the engine stores: what a person reads instead of a code.

Pages never print an office, bundle, group, status or audit event code; they pass
it through one of the filters installed here (``office_name``, ``bundle_name``,
``group_name``, ``role_name``, ``status_name``, ``event_name``). Each looks the
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
from engine.models.catalog import Department
from engine.models.deployments import Deployment
from engine.models.offices import Office
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
    role, _sep, place = group.partition("@")
    if not place:
        return role_name(role)
    return f"{office_name(place)} {role_name(role)}"


def status_name(status: str | None) -> str:
    """A case, work item, cooperation or job status in plain words."""
    if not status:
        return ""
    names = {
        "running": _("in progress"), "completed": _("completed"), "error": _("stopped by an error"),
        "cancelled": _("cancelled"), "withdrawn": _("withdrawn"), "suspended": _("suspended"),
        "open": _("open"), "claimed": _("claimed"), "done": _("done"),
        "requested": _("requested"), "assigned": _("assigned"), "escalated": _("escalated"),
        "replied": _("replied"), "closed": _("closed"), "pending": _("pending"),
        "failed": _("failed"), "sent": _("sent"), "booked": _("booked"),
    }
    return names.get(status, status)


def event_name(kind: str | None) -> str:
    """An audit event kind ('draft.submitted') in plain words; the code when unnamed."""
    if not kind:
        return ""
    return EVENTS.get(kind, lambda: kind)()


# audit event kinds a person reads on the audit pages; filled by the audit page's owner
EVENTS: dict[str, Callable[[], str]] = {}


def init(app: Flask) -> None:
    """Install the filters on APP."""
    for name, fn in (("office_name", office_name), ("department_name", department_name),
                     ("bundle_name", bundle_name), ("group_name", group_name),
                     ("role_name", role_name), ("status_name", status_name),
                     ("event_name", event_name)):
        app.add_template_filter(fn, name)
