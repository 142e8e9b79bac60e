"""The co-handling (协办) page of the workbench: the asked department reads the question,
the asking task and its case, and answers through engine.cooperation.

The asking task's own page lists its requests and their answers (see ``task_view``)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.casework import cooperation, permissions, work_items
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import Case
from web.context import transaction
from web.ui import engine_text
from web.ui.guard import actor
from web.ui.workbench.blueprint import bp
from web.ui.workbench.pages import clerks_only, task_context

# the kinds of work item a clerk completes through the task form
FORM_KINDS = ("user", "manual")


def cooperation_context(session: Session, item_id: str, *, text: str = "",
                        error: str = "") -> dict[str, Any]:
    """The request behind cooperation item ITEM_ID, its asking task and case."""
    who = actor()
    item = work_items.get(session, item_id)
    if item.kind != cooperation.KIND:
        raise NotFound(f"task {item_id} is not a co-handling request")
    asked = cooperation.get(session, item_id)
    # the asker follows the request; everyone else by the rule of the task page
    if asked.requested_by != who.label and not permissions.may_see_task(session, item, who):
        raise Forbidden(f"{who.username} may not see this task")
    case = session.get(Case, item.case_id)
    if case is None:
        raise NotFound(f"task {item_id} has no case")
    main = work_items.get(session, asked.work_item_id)
    return {
        "mode": "answer", "item": item, "task": work_items.as_dict(item),
        "asked": cooperation.as_dict(asked), "main": work_items.as_dict(main), "case": case,
        "can_answer": item.state == "open" and asked.state == "open"
        and work_items.may_work_on(item, who),
        "text": text, "error": error, "max_text": cooperation.MAX_TEXT,
    }


@bp.get("/cooperation/<item_id>")
@clerks_only
def cooperation_page(item_id: str) -> str:
    """A co-handling request: the question, the asking task, the case, the answer form."""
    with transaction() as session:
        context = cooperation_context(session, item_id)
    return render_template("workbench/cooperation.html", **context)


@bp.post("/cooperation/<item_id>/answer")
@clerks_only
def answer_cooperation(item_id: str) -> Response | tuple[str, int]:
    """Answer the request; an empty or too long answer comes back marked."""
    text = request.form.get("answer", "")
    try:
        with transaction() as session:
            cooperation_context(session, item_id)  # 404 / 403 before anything else
            cooperation.answer(session, item_id, text, actor())
    except InvalidInput as err:
        with transaction() as session:
            context = cooperation_context(session, item_id, text=text,
                                          error=engine_text.say(err))
        return render_template("workbench/cooperation.html", **context), 422
    except Conflict as err:
        flash(engine_text.say(err), "error")
        return redirect(url_for("workbench.cooperation_page", item_id=item_id))
    flash(_("The co-handling answer was sent."), "success")
    return redirect(url_for("workbench.inbox_page"))


def task_view(item_id: str) -> Response | str:
    """Any work item opened from a list: co-handling requests go to their own page, other
    tasks show the task page with the requests they asked and the answers; tasks that are
    not a clerk's to fill in (external work) are shown read-only."""
    with transaction() as session:
        if work_items.get(session, item_id).kind == cooperation.KIND:
            return redirect(url_for("workbench.cooperation_page", item_id=item_id))
        context = task_context(session, item_id)
        if context["item"].kind not in FORM_KINDS:
            context["can_work"] = False
            context["me"] = ""  # nobody's form, whoever holds it
        context["requests"] = [cooperation.as_dict(r)
                               for r in cooperation.list_for_task(session, item_id)]
    return render_template("workbench/cooperation.html", mode="asking", **context)


@bp.get("/tasks/<item_id>")
@clerks_only
def task_page(item_id: str) -> ResponseReturnValue:
    """A task: case summary, clock, materials, form, actions, diagram, comments, history;
    co-handling requests open on their own page (cooperation_view)."""
    return task_view(item_id)
