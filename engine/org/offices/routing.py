"""Accept anywhere (全城通办): route an item accepted at any office to the one that decides it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.errors import NotFound
from engine.models import Item, Office
from engine.org.catalog import get_item

# the item level each kind of office stands for; the approval bureau and the county
# service center decide as one ("center"), a county department at "county" level
ITEM_LEVEL_OF = {"town": "town", "branch": "branch", "center": "center", "bureau": "center",
                 "department": "county"}


def get_office(session: Session, code: str) -> Office:
    """The office with CODE, or NotFound."""
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NotFound(f"office {code} not found")
    return office


def department_office(session: Session, department_code: str) -> Office:
    """The county office of the department that owns items of DEPARTMENT_CODE."""
    office = session.scalar(select(Office).where(Office.level == "department",
                                                 Office.department_code == department_code)
                            .order_by(Office.code).limit(1))
    if office is None:
        raise NotFound(f"no office stands for department {department_code}")
    return office


def _may_decide(office: Office, item: Item) -> bool:
    if ITEM_LEVEL_OF.get(office.level) not in item.decide_levels:
        return False
    # a department decides its own items only
    return office.level != "department" or office.department_code == item.department_code


def competent_office(session: Session, item_code: str, accepting_office_code: str) -> Office:
    """The office that decides ITEM_CODE for a case accepted at ACCEPTING_OFFICE_CODE.

    Any office may accept any item; the accepting office decides if its level may, else
    the nearest ancestor that may, else the owning department's office.
    """
    item = get_item(session, item_code)
    office: Office | None = get_office(session, accepting_office_code)
    seen: set[int] = set()
    while office is not None and office.id not in seen:
        if _may_decide(office, item):
            return office
        seen.add(office.id)
        office = office.parent
    return department_office(session, item.department_code)


def who_decides(session: Session, item_code: str, accepting_office_code: str, *,
                role: str = "reviewer") -> list[str]:
    """Candidate groups for deciding ITEM_CODE accepted at ACCEPTING_OFFICE_CODE."""
    office = competent_office(session, item_code, accepting_office_code)
    return [f"{role}@{office.code}"]


def route(session: Session, item_code: str, accepting_office_code: str,
          role: str = "reviewer") -> dict[str, str]:
    """Where ITEM_CODE accepted at ACCEPTING_OFFICE_CODE is worked: office, department, group."""
    item = get_item(session, item_code)
    office = competent_office(session, item_code, accepting_office_code)
    return {"office": office.code, "office_name": office.name_zh,
            "department": item.department_code, "group": f"{role}@{office.code}"}
