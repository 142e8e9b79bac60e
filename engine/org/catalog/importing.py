"""Import a catalogue: validate every row first, then upsert departments and items by code."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.actors import Actor
from engine.models import Department, Item, ItemMaterial
from engine.org.catalog.cells import MaterialRecord
from engine.org.catalog.reading import CatalogSource, read_catalog, rows_of
from engine.org.catalog.validation import DepartmentRecord, ItemRecord, validate_catalog
from engine.org.roles import require

log = logging.getLogger(__name__)

CATALOGUE_EDITORS = frozenset({"admin", "leader", "designer"})
# called with (rows written so far, rows in all)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportCounts:
    """How many items an import created, changed and left alone; departments it added."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments: int = 0

    def __str__(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
                f" ({self.departments} new departments)")


def import_catalog(session: Session,
                   source: str | Path | CatalogSource | Iterable[Mapping[str, Any]], *,
                   actor: Actor, progress: Progress | None = None) -> ImportCounts:
    """Validate every row of SOURCE, then upsert it; any bad row raises and writes nothing."""
    require(actor, CATALOGUE_EDITORS, "import the catalogue")
    if isinstance(source, str | Path):
        source = read_catalog(source)
    elif not isinstance(source, CatalogSource):
        source = rows_of(source)
    known = set(session.scalars(select(Department.code)))
    departments, items = validate_catalog(source, known)
    new_departments = _upsert_departments(session, departments)
    created = updated = unchanged = 0
    stored = {i.code: i for i in session.scalars(
        select(Item).where(Item.code.in_([r.code for r in items])))} if items else {}
    for done, record in enumerate(items, start=1):
        item = stored.get(record.code)
        if item is None:
            session.add(_apply(Item(code=record.code), record))
            created += 1
        elif record_of(item) == record:
            unchanged += 1
        else:
            _apply(item, record)
            updated += 1
        if progress is not None:
            progress(done, len(items))
    session.flush()
    counts = ImportCounts(created, updated, unchanged, new_departments)
    audit.record(session, actor, "catalog.import", source=source.name, created=created,
                 updated=updated, unchanged=unchanged, departments=new_departments)
    log.info("catalogue %s imported: %s", source.name, counts)
    return counts


def _upsert_departments(session: Session, records: list[DepartmentRecord]) -> int:
    stored = {d.code: d for d in session.scalars(select(Department))}
    added = 0
    for record in records:
        department = stored.get(record.code)
        if department is None:
            session.add(Department(code=record.code, name_zh=record.name_zh,
                                   name_en=record.name_en))
            added += 1
        else:
            department.name_zh, department.name_en = record.name_zh, record.name_en
    session.flush()
    return added


def record_of(item: Item) -> ItemRecord:
    """The stored ITEM in the shape validation produces, to spot unchanged rows."""
    return ItemRecord(
        code=item.code, name_zh=item.name_zh, name_en=item.name_en,
        department=item.department_code, legal_basis=item.legal_basis,
        conditions=item.conditions, fee_amount=item.fee_amount, fee_text=item.fee_text,
        statutory_days=item.statutory_days, committed_days=item.committed_days,
        instant=item.instant, accept_levels=tuple(item.accept_levels),
        decide_levels=tuple(item.decide_levels),
        materials=tuple(MaterialRecord(m.code, m.name_zh, m.name_en, m.key, m.copies, m.note)
                        for m in item.materials))


def _apply(item: Item, record: ItemRecord) -> Item:
    item.name_zh, item.name_en = record.name_zh, record.name_en
    item.department_code = record.department
    item.legal_basis, item.conditions = record.legal_basis, record.conditions
    item.fee_amount, item.fee_text = record.fee_amount, record.fee_text
    item.statutory_days, item.committed_days = record.statutory_days, record.committed_days
    item.instant = record.instant
    item.accept_levels, item.decide_levels = list(record.accept_levels), \
        list(record.decide_levels)
    item.updated_at = clock.now()
    _apply_materials(item, record.materials)
    return item


def _apply_materials(item: Item, records: tuple[MaterialRecord, ...]) -> None:
    # update in place by code: deleting and re-adding one code would trip the unique key
    by_code = {m.code: m for m in item.materials}
    wanted = {r.code for r in records}
    for material in [m for m in item.materials if m.code not in wanted]:
        item.materials.remove(material)
    for position, record in enumerate(records):
        material = by_code.get(record.code) or ItemMaterial(code=record.code)
        if material not in item.materials:
            item.materials.append(material)
        material.position = position
        material.name_zh, material.name_en = record.name_zh, record.name_en
        material.key, material.copies, material.note = record.key, record.copies, record.note
    item.materials.sort(key=lambda m: m.position)
