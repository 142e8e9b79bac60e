"""Supervision on the workbench: the queue of yellow and red cases, orders (督办) with their
replies and escalations, the extension (延期) of a case's commitment clock, and the
follow-ups of bad ratings (差评整改: verify, rectify, reply)."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.core import clock
from engine.core.errors import Conflict, InvalidInput
from engine.service import ratings
from engine.timelimits import supervision
from engine.timelimits.clocks.operations import extend
from web.api.declare import read
from web.api.timelimits.clocks import ExtendClock
from web.api.timelimits.supervision import IssueOrder, ReplyOrder
from web.context import transaction
from web.ui.guard import actor, group_required, login_required
from web.ui.workbench.blueprint import bp
from web.ui.workbench.pages import task_context
from web.ui.workbench.service import (
    LOCAL,
    SUPERVISORS,
    my_offices,
    read_moment,
    read_number,
    refused,
)

supervisors_only = group_required(*SUPERVISORS)
TASK_PATH = re.compile(r"/workbench/tasks/([0-9a-f-]+)")


# --- supervision (督办) ---------------------------------------------------------------

def _supervision_page() -> str:
    who = actor()
    leads = who.is_admin or bool(who.groups & set(SUPERVISORS))
    with transaction() as session:
        cases = supervision.queue(session, who) if leads else []
        unstaffed = supervision.unstaffed(session, who) if leads else []
        mine = [supervision.as_dict(o) for o in supervision.orders(session, who)]
    addressed = [o for o in mine if o["to_user"] == who.username
                 or (o["to_group"] and o["to_group"] in who.groups)]
    escalated = [o for o in mine if o["state"] == "escalated"]
    return render_template("workbench/supervision.html", cases=cases, orders=mine,
                           unstaffed=unstaffed,
                           addressed=addressed, escalated=escalated, leads=leads,
                           is_leader=who.is_admin or "leader" in who.groups,
                           default_deadline=(clock.now().astimezone(LOCAL)
                                             + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))


@bp.get("/supervision")
@login_required
def supervision_page() -> str:
    """The queue of yellow and red cases, the orders issued, mine, and escalated ones."""
    return _supervision_page()


@bp.post("/supervision/orders")
@supervisors_only
def supervision_issue() -> Response | tuple[str, int]:
    """Issue an order on a case to a user or a group."""
    form = request.form
    try:
        # the case comes from a list of ids; the deadline is county time without an offset
        case_id = int(read_number("case_id", form.get("case_id")))
        asked = read(IssueOrder, {
            "case": str(case_id), "message": form.get("message", ""),
            "deadline": read_moment("deadline", form.get("deadline")),
            "to_user": form.get("to_user", "").strip() or None,
            "to_group": form.get("to_group", "").strip() or None}, "form")
        asked.addressee()
        with transaction() as session:
            order = supervision.issue(
                session, case_id, actor(), message=asked.message, deadline=asked.deadline,
                to_user=asked.to_user, to_group=asked.to_group)
            number = order.id
    except (InvalidInput, Conflict) as err:
        return refused(err, _supervision_page)
    flash(_("Supervision order %(id)s issued.", id=number), "success")
    return redirect(url_for("workbench.supervision_page"), 303)


@bp.post("/supervision/orders/<int:order_id>/reply")
@login_required
def supervision_reply(order_id: int) -> Response | tuple[str, int]:
    """Answer an order addressed to me or my group."""
    try:
        answer = read(ReplyOrder, {"reply": request.form.get("reply", "")}, "form")
        with transaction() as session:
            supervision.reply(session, order_id, actor(), answer.reply)
    except (InvalidInput, Conflict) as err:
        return refused(err, _supervision_page)
    flash(_("Your reply was recorded."), "success")
    return redirect(url_for("workbench.supervision_page"), 303)


@bp.post("/cases/<int:case_id>/clock/extend")
@supervisors_only
def clock_extend(case_id: int) -> Response | tuple[str, int]:
    """Extend the case's commitment clock once (days and a reason); back to the task page
    the form was on (``next``), else to the supervision page."""
    task = TASK_PATH.fullmatch(request.form.get("next", ""))
    try:
        asked = read(ExtendClock, {"days": _whole(request.form.get("days", "")),
                                   "reason": request.form.get("reason", "")}, "form")
        with transaction() as session:
            extend(session, case_id, actor(), asked.days, asked.reason, now=clock.now())
    except (InvalidInput, Conflict) as err:
        return refused(err, partial(_task_page, task.group(1)) if task
                        else _supervision_page)
    flash(_("The time limit was extended."), "success")
    return redirect(task.group(0) if task else url_for("workbench.supervision_page"), 303)


def _whole(text: str) -> int | str:
    """TEXT as the whole number it spells, else as it is (for the model to refuse)."""
    return int(text) if text.strip().isdecimal() and text.isascii() else text


def _task_page(item_id: str) -> str:
    with transaction() as session:
        context = task_context(session, item_id)
    return render_template("workbench/task.html", **context)


# --- follow-ups of bad ratings (差评整改) ---------------------------------------------

def _follow_ups_page() -> str:
    who = actor()
    handles = who.is_admin or bool(who.groups & set(SUPERVISORS))
    state = request.args.get("state") or None
    with transaction() as session:
        if handles:
            rows = ratings.list_follow_ups(session, state)
        else:
            rows = [f for office in my_offices(who)
                    for f in ratings.list_follow_ups(session, state, office)]
        items = [ratings.follow_up_dict(f) for f in rows]
    return render_template("workbench/follow_ups.html", items=items, handles=handles,
                           state=state or "", steps=ratings.FOLLOW_UP_STEPS)


@bp.get("/follow-ups")
@login_required
def follow_ups_page() -> str:
    """Follow-ups of bad ratings: all for supervisors, my offices' for office staff."""
    return _follow_ups_page()


@bp.post("/follow-ups/<int:follow_up_id>/<step>")
@supervisors_only
def follow_up_step(follow_up_id: int, step: str) -> Response | tuple[str, int]:
    """Record the verify, rectify or reply step of a follow-up."""
    try:
        with transaction() as session:
            ratings.advance_follow_up(session, follow_up_id, actor(), step,
                                      request.form.get("note", ""))
    except (InvalidInput, Conflict) as err:
        return refused(err, _follow_ups_page)
    flash(_("The follow-up step was recorded."), "success")
    return redirect(url_for("workbench.follow_ups_page"), 303)
