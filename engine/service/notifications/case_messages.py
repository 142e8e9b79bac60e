"""Messages produced by case steps: accepted, supplement requested, item decided, ready.

The bundles share task ids: ``accept`` (outcome accept / accept_with_gaps / supplement /
reject), ``supplement`` (opens with missing_materials), ``review`` (decision per item)
and ``choose_delivery`` (opens once every item is decided). A case's data may carry
``contact_phone`` / ``contact_email``; the messages then also go out by SMS / e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from engine.core import clock
from engine.design import guides
from engine.models import Case, WorkItem

# importing the clocks first registers their listener before this module's, so a case's
# clock is started by the time its acceptance message asks for the promised date
from engine.runtime import case_events
from engine.service.notifications.outbox import notify
from engine.timelimits import clocks
from engine.timelimits.clocks.limits import guide_of

log = logging.getLogger(__name__)

LOCAL = clock.county_zone()
ACCEPTED = ("accept", "accept_with_gaps")
DECISIONS = {"approve": ("准予", "approved"), "refuse": ("不予许可", "refused")}

# the commitment clock may tell the promised date of a case; else the data key 'promised_date'
PromiseSource = Callable[[Session, Case], date | None]
_promise_source: PromiseSource | None = None


def set_promise_source(source: PromiseSource | None) -> None:
    """Let SOURCE say by which date an accepted case is promised (None: data key only)."""
    global _promise_source
    _promise_source = source


def clock_promise(session: Session, case: Case) -> date | None:
    """The local due day of the case's commitment clock (None before it starts)."""
    shown = clocks.case_clock(session, case.id)
    return date.fromisoformat(str(shown["due"])[:10]) if shown else None


set_promise_source(clock_promise)


def applicant_of(case: Case) -> str | None:
    """Who the case is for (engine.casework.cases sets it when the case starts)."""
    return case.applicant


def _guide(session: Session, deployment_id: int) -> guides.Guide | None:
    """The deployment's guide, parsed once per content hash (shared with the clocks)."""
    return guide_of(session, deployment_id)


def _material_names(guide: guides.Guide | None, ids: list[str], lang: str) -> str:
    names = {m.id: m.name.get(lang) for m in guide.materials} if guide else {}
    return ("、" if lang == "zh" else "; ").join(names.get(i, i) for i in ids)


def _item_name(guide: guides.Guide | None, code: str, fallback: str, lang: str) -> str:
    try:
        return guide.item(code).name.get(lang) if guide else fallback
    except KeyError:
        return fallback


def _task_data(event: case_events.StepEvent, item: WorkItem) -> dict[str, Any]:
    try:
        task = event.workflow.get_task_from_id(UUID(item.id))
    except Exception:  # noqa: BLE001 - the task tree may have dropped it (loops)
        return dict(item.input_data)
    return dict(task.data)


class _Sender:
    """Sends this step's messages to the case's applicant."""

    def __init__(self, session: Session, event: case_events.StepEvent,
                 data: dict[str, Any]) -> None:
        self.session, self.case = session, event.case
        self.user = applicant_of(event.case)
        self.phone = data.get("contact_phone") if isinstance(data.get("contact_phone"),
                                                             str) else None
        self.email = data.get("contact_email") if isinstance(data.get("contact_email"),
                                                             str) else None

    def send(self, template: str, payload: dict[str, Any]) -> None:
        full = {"case_number": self.case.number, "title": self.case.title, **payload}
        notify(self.session, template, full, user=self.user, phone=self.phone,
               email=self.email, case_id=self.case.id)


def _accepted(session: Session, event: case_events.StepEvent, data: dict[str, Any]) -> None:
    promised = _promise_source(session, event.case) if _promise_source else None
    if promised is None and isinstance(data.get("promised_date"), str):
        try:
            promised = date.fromisoformat(data["promised_date"][:10])
        except ValueError:
            log.warning("case %s: promised_date is not a date", event.case.id)
    payload = {"accepted_on": event.now.astimezone(LOCAL).date().isoformat(),
               "promised_date": promised.isoformat() if promised else None,
               "promise_zh": f"承诺于{promised.isoformat()}前办结。" if promised else "",
               "promise_en": f"It is promised by {promised.isoformat()}. " if promised else ""}
    _Sender(session, event, data).send("case_accepted", payload)


def _supplement(session: Session, event: case_events.StepEvent, item: WorkItem) -> None:
    data = dict(item.input_data)
    missing = [m for m in data.get("missing_materials") or [] if isinstance(m, str)]
    guide = _guide(session, event.case.deployment_id)
    note = data.get("supplement_note") if isinstance(data.get("supplement_note"), str) else ""
    _Sender(session, event, data).send("supplement_requested", {
        "missing_materials": missing, "note": f"{note} " if note else "",
        "materials_zh": _material_names(guide, missing, "zh"),
        "materials_en": _material_names(guide, missing, "en")})


def _decided(session: Session, event: case_events.StepEvent, data: dict[str, Any]) -> None:
    words = DECISIONS.get(str(data.get("decision")))
    if words is None:  # returned to acceptance: no decision to tell
        return
    guide = _guide(session, event.case.deployment_id)
    code = str(data.get("item_code", ""))
    fallback = str(data.get("item_name") or code)
    approved = data.get("decision") == "approve"
    number, reason = data.get("certificate_no") or "", data.get("refuse_reason") or ""
    _Sender(session, event, data).send("item_decided", {
        "item_code": code, "decision": "approved" if approved else "refused",
        "item_name_zh": _item_name(guide, code, fallback, "zh"),
        "item_name_en": _item_name(guide, code, fallback, "en"),
        "decision_zh": words[0], "decision_en": words[1],
        "detail_zh": f"证照编号：{number}。" if approved else f"理由：{reason}。",
        "detail_en": f"Certificate number: {number}." if approved else f"Reason: {reason}."})


@case_events.listen
def on_step(session: Session, event: case_events.StepEvent) -> None:
    """Turn the step's completed and opened tasks into messages to the applicant."""
    done = event.completed
    if done is not None and done.element_id in ("accept", "review"):
        data = _task_data(event, done)
        if done.element_id == "review":
            _decided(session, event, data)
        elif data.get("outcome") in ACCEPTED:
            _accepted(session, event, data)
    for item in event.opened:
        if item.element_id == "supplement":
            _supplement(session, event, item)
        elif item.element_id == "choose_delivery":
            _Sender(session, event, dict(item.input_data)).send("ready_for_pickup", {})
