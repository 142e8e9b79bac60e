"""The clerk workbench pages: the inbox with tabs, filters and paging, and the task page.

The actions a task page posts are in workbench_actions, the acceptance desk in
workbench_desk; every one of them is also in the JSON API (web/api/inbox.py, comments.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Response, render_template, request
from sqlalchemy.orm import Session

from engine.casework import (
    application_view,
    case_data,
    comments,
    earlier_steps,
    inbox,
    materials,
    permissions,
    task_access,
    task_choices,
    task_items,
    watches,
    work_items,
)
from engine.casework import forms as engine_forms
from engine.core import audit
from engine.core.actors import Actor
from engine.core.errors import Forbidden, NotFound
from engine.models import Case, WorkItem
from web.api.casework.inbox import read_query
from web.context import engine, file_store, transaction
from web.ui import form_outcomes, forms
from web.ui.guard import CLERK_GROUPS, actor, group_required
from web.ui.i18n import lang
from web.ui.workbench.blueprint import bp

clerks_only = group_required(*sorted(CLERK_GROUPS))
# materials a browser can show inline; anything else is downloaded
INLINE_TYPES = ("image/png", "image/jpeg", "application/pdf")
# the form values that stand for the quick actions of the shipped bundles' forms
QUICK_ACTIONS = {"return": ("decision", "return"), "supplement": ("outcome", "supplement")}


@bp.get("")
@clerks_only
def inbox_page() -> str:
    """The inbox: tabs with counts, filters, sorting and next-page links.

    Without a chosen tab it opens on "mine", or on "my groups" when only that has work.
    """
    tab, sort, filters, after, limit = read_query(request.args)
    who = actor()
    with transaction() as session:
        counts = inbox.counts(session, who, filters)
        if "tab" not in request.args and counts["mine"] == 0 and counts["group"] > 0:
            tab = "group"
        page = inbox.page(session, who, tab, filters=filters, sort=sort, after=after,
                          limit=limit)
        owners = inbox.cases_of(session, page.items)
        facts = inbox.facts_of(session, page.items)
        rows = [inbox.summary(w, owners[w.case_id], facts) for w in page.items]
    english = lang() == "en"
    for row in rows:
        row["item_name"] = row["item_name_en"] if english else row["item_name_zh"]
    query = {k: v for k, v in request.args.items() if k not in ("after", "tab") and v}
    return render_template("workbench/inbox.html", tab=tab, sort=sort, rows=rows,
                           counts=counts, filters=filters, query=query,
                           next_cursor=page.next_cursor, tabs=inbox.TABS, sorts=inbox.SORTS)


def _schema(session: Session, case: Case, item: WorkItem) -> tuple[dict[str, Any] | None,
                                                                    dict[str, Any]]:
    """The task's JSON Schema and UI schema from its bundle version."""
    bundle = engine().specs.get(session, case.deployment_id)
    schema = task_choices.narrow(engine_forms.schema_for(bundle, item.form_schema), item)
    ui: dict[str, Any] = {}
    raw = bundle.files.get(item.form_ui_schema or "")
    if raw:
        ui = json.loads(raw)
    return schema, ui


def _earlier(session: Session, case: Case, item: WorkItem, who: Actor) -> dict[str, Any]:
    """What earlier steps said and the cooperation answers (nothing for an applicant)."""
    try:
        return {"steps": earlier_steps.steps(engine(), session, case, who, exclude_task=item.id),
                "cooperation": earlier_steps.cooperation(session, case, who)}
    except Forbidden:
        return {"steps": [], "cooperation": []}


def quick_actions(schema: dict[str, Any] | None) -> list[str]:
    """The quick actions (return, supplement) the task's form offers as a decision value."""
    found = []
    props = (schema or {}).get("properties") or {}
    for action, (field, value) in QUICK_ACTIONS.items():
        choices = props.get(field, {}).get("oneOf") or []
        if any(c.get("const") == value for c in choices if isinstance(c, dict)):
            found.append(action)
    return found


def _case_clock(session: Session, case_id: int) -> dict[str, Any] | None:
    """The commitment clock of the case, where the clocks module is installed."""
    try:
        from engine.timelimits.clocks import case_clock
    except ImportError:
        return None
    return case_clock(session, case_id)


def task_context(session: Session, item_id: str, *, data: dict[str, Any] | None = None,
                 errors: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything the task page shows, read in the caller's transaction."""
    who = actor()
    item = work_items.get(session, item_id)
    if not permissions.may_see_task(session, item, who):
        raise Forbidden(f"{who.username} may not see this task")
    case = session.get(Case, item.case_id)
    if case is None:
        raise NotFound(f"task {item_id} has no case")
    schema, ui = _schema(session, case, item)
    preset = QUICK_ACTIONS.get(request.args.get("action", ""))
    values = dict(data if data is not None else {})
    if data is None and preset:
        values[preset[0]] = preset[1]
    try:
        checklist: materials.Checklist | None = materials.list_materials(session, case, who)
        notes = comments.list_for_case(session, case, who)
        declared = case_data.readable(engine(), session, case, who, lang())
        entered = application_view.application(engine(), session, case, who, lang())
        # what the application panel shows is not repeated under the case data
        shown = {row["name"].split(".")[0] for row in entered}
        declared = [row for row in declared if row["name"] not in shown]
    except Forbidden:
        checklist, notes, declared, entered = None, [], [], []
    return {
        "item": item, "task": work_items.as_dict(item), "case": case, "schema": schema,
        "fields": forms.build_fields(schema, values, errors or {}, lang(), ui),
        "errors": errors or {}, "quick": quick_actions(schema),
        "action": request.args.get("action", ""), "checklist": checklist,
        "inline_types": INLINE_TYPES, "comments": notes, "case_data": declared,
        "decided_items": task_items.decided_items(session, item),
        "return_reason": task_items.return_reason(item), "application": entered,
        "history": audit.trail(session, case.id),
        "outcomes": form_outcomes.outcomes(schema),
        "earlier": _earlier(session, case, item, who),
        "clock": _case_clock(session, case.id),
        "applicant": materials.start_data(session, case).get("applicant"),
        "watching": watches.is_watching(session, case.id, who.username),
        "can_work": (task_access.may_claim(session, item, who)
                     or item.assignee == who.username),
        "me": who.username,
    }


@bp.get("/cases/<int:case_id>/materials/<int:material_id>")
@clerks_only
def material(case_id: int, material_id: int) -> Response:
    """One material: inline for images and PDF (the preview), else as a download."""
    with transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found")
        row, content = materials.download(session, file_store(), case, material_id, actor())
    inline = row.content_type in INLINE_TYPES and request.args.get("download") is None
    response = Response(content, mimetype=row.content_type)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{quote(row.filename, safe='')}")
    return response
