"""What a clerk does from the task page: claim, unclaim, complete (with return and
supplement as form decisions), delegate, ask cooperation, comment, watch."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.casework import comments, completion, cooperation, delegation, watches, work_items
from engine.core.errors import Conflict, InvalidInput, NotFound
from engine.models import Case
from web.context import engine, transaction
from web.ui import engine_text, forms
from web.ui.guard import actor
from web.ui.workbench import pickers
from web.ui.workbench.blueprint import bp
from web.ui.workbench.pages import clerks_only, task_context


def _back(item_id: str) -> Response:
    return redirect(url_for("workbench.task_page", item_id=item_id))


def _refused(item_id: str, err: Exception) -> Response:
    """Show why an action was refused on the task page (a conflict or a wrong value)."""
    flash(engine_text.say(err), "error")
    return _back(item_id)


@bp.post("/tasks/<item_id>/claim")
@clerks_only
def claim(item_id: str) -> Response:
    """Take the task (only work of one's own offices and roles)."""
    try:
        with transaction() as session:
            work_items.claim(session, item_id, actor())
    except Conflict as err:
        return _refused(item_id, err)
    flash(_("The task is yours now."), "success")
    return _back(item_id)


@bp.post("/tasks/<item_id>/unclaim")
@clerks_only
def unclaim(item_id: str) -> Response:
    """Give the task back to its group."""
    try:
        with transaction() as session:
            work_items.unclaim(session, item_id, actor())
    except Conflict as err:
        return _refused(item_id, err)
    flash(_("The task is back in its group's inbox."), "success")
    return _back(item_id)


@bp.post("/tasks/<item_id>/complete")
@clerks_only
def complete(item_id: str) -> Response | tuple[str, int]:
    """Submit the task form; wrong fields come back marked, a race as a message."""
    with transaction() as session:
        context = task_context(session, item_id)
    schema = context["schema"]
    data, problems = forms.read_form(schema, request.form)
    errors = forms.check(schema, data, problems)
    if not errors:
        try:
            with transaction() as session:
                case = completion.complete(engine(), session, item_id, data, actor())
                number = case.number
        except InvalidInput as exc:
            errors = forms.errors_from(exc)
        except Conflict as err:
            return _refused(item_id, err)
        else:
            flash(_("Task done: case %(number)s moved on.", number=number), "success")
            return redirect(url_for("workbench.inbox_page"))
    with transaction() as session:
        context = task_context(session, item_id, data=data, errors=errors)
    return render_template("workbench/task.html", **context), 422


@bp.post("/tasks/<item_id>/delegate")
@clerks_only
def delegate(item_id: str) -> Response:
    """Hand the task to another clerk who could work on it."""
    try:
        with transaction() as session:
            item = delegation.delegate(session, item_id, actor(),
                                       request.form.get("to", "").strip(),
                                       request.form.get("note", ""))
            to = item.assignee
    except (Conflict, InvalidInput) as err:
        flash(pickers.refusal(err), "error")
        return _back(item_id)
    flash(_("The task was handed to %(user)s.", user=to), "success")
    return redirect(url_for("workbench.inbox_page"))


@bp.post("/tasks/<item_id>/cooperation")
@clerks_only
def ask_cooperation(item_id: str) -> Response:
    """Bring another department in on the task with a question (协办)."""
    try:
        days = int(request.form.get("due_days") or 3)
    except ValueError:
        days = 0
    try:
        with transaction() as session:
            cooperation.ask(session, item_id, request.form.get("group", ""),
                            request.form.get("question", ""), actor(), due_days=days)
    except (Conflict, InvalidInput) as err:
        flash(pickers.refusal(err), "error")
        return _back(item_id)
    flash(_("The co-handling request was sent."), "success")
    return _back(item_id)


@bp.post("/tasks/<item_id>/comment")
@clerks_only
def comment(item_id: str) -> Response:
    """Leave a comment on the task's case."""
    try:
        with transaction() as session:
            item = work_items.get(session, item_id)
            case = session.get(Case, item.case_id)
            if case is None:
                raise NotFound(f"task {item_id} has no case")
            comments.add(session, case, actor(), request.form.get("body", ""), item.id)
    except InvalidInput as err:
        return _refused(item_id, err)
    flash(_("Comment added."), "success")
    return _back(item_id)


@bp.post("/tasks/<item_id>/watch")
@clerks_only
def watch(item_id: str) -> Response:
    """Follow (or, with stop, stop following) the task's case."""
    with transaction() as session:
        item = work_items.get(session, item_id)
        case = session.get(Case, item.case_id)
        if case is None:
            raise NotFound(f"task {item_id} has no case")
        if request.form.get("stop"):
            watches.unwatch(session, case, actor())
        else:
            watches.watch(session, case, actor())
    return _back(item_id)
