"""How a case ended, for the figures: decided, withdrawn, cancelled, stopped by an error.

Only a case that ended with a decision counts as finished, on time or early. A withdrawn
case ends its process normally (status ``completed``) after the applicant's ``withdraw``
message; it is told apart by that message in its audit trail. A cancelled case and a case
stopped by an error are counted on their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import AuditEvent, Case

RUNNING = "running"
DECIDED = "decided"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
ERROR = "error"
# the message a bundle waits for to let the applicant withdraw (engine.casework.withdrawal)
WITHDRAW_MESSAGE = "withdraw"
_DELIVERED = ("case.withdrawn", "message.received")


def withdrawn_cases(session: Session, case_ids: Iterable[int] | None = None) -> set[int]:
    """The ids of the completed cases (among CASE_IDS, if given) that were withdrawn."""
    query = (select(AuditEvent.case_id, AuditEvent.detail)
             .join(Case, Case.id == AuditEvent.case_id)
             .where(AuditEvent.action.in_(_DELIVERED), Case.status == "completed"))
    if case_ids is not None:
        wanted = sorted(set(case_ids))
        if not wanted:
            return set()
        query = query.where(AuditEvent.case_id.in_(wanted))
    return {case_id for case_id, detail in session.execute(query)
            if case_id is not None and (detail or {}).get("message") == WITHDRAW_MESSAGE}


def outcome(case: Case, withdrawn: set[int]) -> str:
    """How CASE stands: running, decided, withdrawn, cancelled or error."""
    if case.status == "completed":
        return WITHDRAWN if case.id in withdrawn else DECIDED
    if case.status == "cancelled":
        return CANCELLED
    if case.status == "error":
        return ERROR
    return RUNNING
