"""What the applicant still has to hand in: the one-time notice of a case waiting for
supplement, read from the applicant's open steps (the clerk's list and note, or the
reason a department returned an item)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.design import guides
from engine.models import Case, WorkItem


@dataclass(frozen=True)
class Returned:
    """An item a department sent back to the applicant, and why."""

    item: str
    reason: str


@dataclass(frozen=True)
class Missing:
    """The materials the applicant is asked for, by name, and what the clerk wrote."""

    materials: list[str] = field(default_factory=list)
    note: str = ""
    returned: list[Returned] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.materials or self.note or self.returned)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def of_case(session: Session, case: Case, guide: guides.Guide | None, lang: str) -> Missing:
    """The supplement asked of CASE's applicant, from its open steps (empty when none)."""
    if case.status != "running" or not case.applicant:
        return Missing()
    materials = {m.id: m.name.get(lang) for m in guide.materials} if guide else {}
    items = {i.code: i.name.get(lang) for i in guide.items} if guide else {}
    shown: list[str] = []
    notes: list[str] = []
    returned: list[Returned] = []
    steps = session.scalars(select(WorkItem).where(
        WorkItem.case_id == case.id, WorkItem.state == "open", WorkItem.kind == "user")
        .order_by(WorkItem.created_at))
    for step in steps:
        if case.applicant not in step.candidate_names("user"):
            continue
        data = step.input_data or {}
        codes = data.get("missing_materials")
        if isinstance(codes, list) and codes:
            shown += [materials.get(str(c), str(c)) for c in codes]
            if _text(data.get("supplement_note")):
                notes.append(_text(data["supplement_note"]))
        reason = _text(data.get("return_reason"))
        if data.get("return_to") == "supplement" and reason:
            code = str(data.get("item_code") or "")
            returned.append(Returned(items.get(code) or _text(data.get("item_name")) or code,
                                     reason))
    return Missing(list(dict.fromkeys(shown)), "；".join(dict.fromkeys(notes)), returned)
