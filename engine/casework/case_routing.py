"""Accept anywhere (全城通办) in a case: who works each item, given where it was accepted.

A case records its accepting office. At start the engine writes a routing table into the
case data under ``routing``: for each item of the bundle's guide, the office that decides
it (engine.offices.routing), the owning department, the candidate group, and the window
of the accepting office that re-checks the item if it is returned. The bundle's
diagram reads it when it plans the items; an empty table (no accepting office, e.g. an
API caller) leaves each item with the group the bundle names.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from engine.core.errors import NotFound
from engine.design.guides import Guide
from engine.org.catalog import get_item
from engine.org.offices import get_office, route

log = logging.getLogger(__name__)

ROUTING_KEY = "routing"
WINDOW_ROLE = "window_clerk"

Routing = dict[str, dict[str, str]]


def routing_table(session: Session, guide: Guide, office_code: str | None) -> Routing:
    """Per item code of GUIDE: who works it when the case is accepted at OFFICE_CODE."""
    if office_code is None:
        return {}
    table: Routing = {}
    for item in guide.items:
        role, at, _ = item.candidate_group.partition("@")
        entry: dict[str, str] = {}
        try:
            if at:
                entry = route(session, item.code, office_code, role)
            else:
                # a bare role is work for that role where the case was accepted (the window
                # books the bank appointment itself)
                entry = _at_accepting_office(session, item.code, office_code, role)
        except NotFound:
            # an item the catalogue does not know keeps the group the bundle names
            log.warning("item %s is not in the catalogue; bundle %s routes it as drawn",
                        item.code, guide.key)
        entry["window"] = f"{WINDOW_ROLE}@{office_code}"
        table[item.code] = entry
    return table


def _at_accepting_office(session: Session, item_code: str, office_code: str,
                         role: str) -> dict[str, str]:
    item = get_item(session, item_code)
    office = get_office(session, office_code)
    return {"office": office.code, "office_name": office.name_zh,
            "department": item.department_code,
            "group": f"{role}@{office.code}"}
