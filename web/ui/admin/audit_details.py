"""An audit event's details as lines a person reads: a named key and a plain value.

The engine stores each event's before, after and detail as JSON with code keys
(``due_at``, ``group``) and code values (``reviewer@dept_fire``, ``assigned``). The audit
page shows them as a definition list in the page's language: known keys by name, codes by
the names of web.ui.names, yes/no for booleans, lists joined, nested objects as
``key: value`` pairs, and a change as ``before → after``. Nothing is shown \\u-escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from web.ui import names
from web.ui.bilingual import localize
from web.ui.i18n import _
from web.ui.i18n import lang as page_language

MAX_VALUE = 300
MAX_LINES = 20

# keys whose values are codes, and how a page names them
_NAMERS: dict[str, Callable[[str], str]] = {
    "group": names.group_name, "to_group": names.group_name, "office": names.office_name,
    "status": names.status_name, "state": names.status_name, "level": names.status_name,
    "bundle": names.bundle_name, "department": names.department_name,
    "role": names.role_name, "posting": names.posting_name, "groups": names.group_name,
    "roles": names.group_name,
}


def _labels() -> dict[str, str]:
    return {
        "group": _("Group"), "groups": _("Groups"), "to_group": _("Group"),
        "office": _("Office"), "status": _("Status"), "state": _("Status"),
        "level": _("Warning level"), "bundle": _("Bundle"), "department": _("Department"),
        "role": _("Role"), "roles": _("Office roles"), "posting": _("Posting"),
        "assignee": _("Assignee"), "clerk": _("Clerk"), "to": _("To"), "to_user": _("To"),
        "username": _("User"), "by": _("By"), "note": _("Note"), "reason": _("Reason"),
        "question": _("Question"), "answer": _("Answer"), "comment": _("Comment"),
        "body": _("Comment"), "message": _("Message"), "error": _("Error"),
        "due_at": _("Due"), "due": _("Due"), "deadline": _("Deadline"), "days": _("Days"),
        "used_days": _("Working days used"), "paused_days": _("Working days paused"),
        "committed": _("Committed days"), "on_time": _("On time"),
        "confirmed": _("Calendar confirmed"), "version": _("Version"),
        "process": _("Process"), "filename": _("File"), "content_type": _("File type"),
        "size": _("Size"), "material": _("Material"), "code": _("Code"),
        "channel": _("Channel"), "subject": _("Subject"), "rating": _("Rating"),
        "request": _("Request"), "cooperation_task": _("Co-handling task"),
        "order": _("Supervision order"), "visit": _("Visit"),
        "appointment": _("Appointment"), "authorization": _("Authorization"),
        "revoked": _("Revoked"), "scope": _("Scope"), "sessions_ended": _("Sessions ended"),
        "sessions": _("Sessions"), "retries": _("Retries"), "source": _("Source"),
        "files": _("Files"), "created": _("Created"), "updated": _("Updated"),
        "unchanged": _("Unchanged"), "superseded": _("Superseded"),
        "users_created": _("Users created"), "offices_created": _("Offices created"),
        "offices_updated": _("Offices updated"), "departments": _("Departments"),
        "postings": _("Postings"), "admin": _("Administrator"), "draft": _("Draft"),
        "deployment_id": _("Process version"), "data": _("Data"), "work_item": _("Task"),
        "follow_up": _("Follow-up"), "intake": _("Intake"), "notification": _("Notification"),
        "unit": _("Unit"), "comment_id": _("Comment"),
    }


def _date(text: str) -> str | None:
    if len(text) < 16 or text[4:5] != "-" or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%d %H:%M")


def _plain(key: str, value: Any, labels: dict[str, str]) -> str:
    """VALUE (of KEY) as text: codes named, booleans as yes/no, lists and objects flat."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "；".join(f"{labels.get(k, k)}: {_plain(k, v, labels)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(_plain(key, v, labels) for v in value) or "—"
    text = str(value)
    namer = _NAMERS.get(key)
    if namer is not None:
        return namer(text)
    return _date(text) or text


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def _entered(fields: list[dict[str, Any]]) -> str:
    """The fields a task's form took, by their titles in the page's language."""
    lang = page_language()
    shown = [f"{localize(f['title'], lang)}: {_plain('', _localized(f['value'], lang), {})}"
             for f in fields]
    return "；".join(shown) or "—"


def _localized(value: Any, lang: str) -> Any:
    if isinstance(value, list):
        return [_localized(v, lang) for v in value]
    return localize(value, lang) if isinstance(value, str) else value


def lines(event: dict[str, Any],
          entered: list[dict[str, Any]] | None = None) -> list[tuple[str, str]]:
    """EVENT's before, after and detail as (name, value) lines, changes as 'a → b'; the data
    a task took as ENTERED (engine.casework.earlier_steps.entered_fields) when given."""
    labels = _labels()
    before = event.get("before") or {}
    after = event.get("after") or {}
    out: list[tuple[str, str]] = []
    for key in [*after, *(k for k in before if k not in after)]:
        label = labels.get(key, key)
        if key in before and key in after:
            text = f"{_plain(key, before[key], labels)} → {_plain(key, after[key], labels)}"
        elif key in after:
            text = _plain(key, after[key], labels)
        else:
            text = f"{_plain(key, before[key], labels)} → —"
        out.append((label, _cut(text)))
    for key, value in (event.get("detail") or {}).items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if key == "data" and entered is not None:
            out.append((labels["data"], _cut(_entered(entered))))
            continue
        out.append((labels.get(key, key), _cut(_plain(key, value, labels))))
    return out[:MAX_LINES]

