"""Check every catalogue row before anything is written; report (row, column, reason)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from engine.core.errors import FieldError, InvalidInput
from engine.models.catalog import ITEM_LEVELS
from engine.org.catalog import cells
from engine.org.catalog.cells import MaterialRecord
from engine.org.catalog.reading import CatalogSource, SourceRow

T = TypeVar("T")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
DEPARTMENT_CODE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell: its row, its column and why."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class RowsInvalid(InvalidInput):
    """A catalogue file with bad rows; nothing of it was imported."""

    def __init__(self, source: str, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s); nothing was imported",
                         [FieldError(f"row {p.row}, column {p.column}", p.reason)
                          for p in problems])


@dataclass(frozen=True)
class DepartmentRecord:
    """A department as validated."""

    code: str
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True)
class ItemRecord:
    """An item as validated, comparable with what is stored."""

    code: str
    name_zh: str
    name_en: str
    department: str
    legal_basis: str
    conditions: str
    fee_amount: Decimal
    fee_text: str
    statutory_days: int
    committed_days: int
    instant: bool
    accept_levels: tuple[str, ...]
    decide_levels: tuple[str, ...]
    materials: tuple[MaterialRecord, ...]


class _Row:
    """Reads one row's cells, noting a problem instead of raising."""

    def __init__(self, row: SourceRow, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems
        self.ok = True

    def cell(self, column: str, parse: Callable[[Any], T], default: T) -> T:
        try:
            return parse(self.row.values.get(column))
        except ValueError as err:
            self.fail(column, str(err))
            return default

    def fail(self, column: str, reason: str) -> None:
        self.ok = False
        self.problems.append(RowProblem(self.row.number, column, reason))


def validate_catalog(source: CatalogSource, known_departments: Collection[str]
                     ) -> tuple[list[DepartmentRecord], list[ItemRecord]]:
    """Validate every department and item row; raise RowsInvalid listing all problems."""
    problems = [RowProblem(1, column, reason) for column, reason in source.header_problems]
    departments = _departments(source, problems)
    known = set(known_departments) | {d.code for d in departments}
    # a table may bring its departments along, on any row that names one
    for row in source.rows:
        extra = _new_department(row)
        if extra is not None and extra.code not in known and DEPARTMENT_CODE.match(extra.code):
            departments.append(extra)
            known.add(extra.code)
    items: list[ItemRecord] = []
    first_row: dict[str, int] = {}
    for row in source.rows:
        record = _item(row, known, problems)
        if record is None:
            continue
        if record.code in first_row:
            problems.append(RowProblem(row.number, "code", f"{record.code} is already in "
                                                           f"row {first_row[record.code]}"))
            continue
        first_row[record.code] = row.number
        items.append(record)
    if not source.rows and not problems:
        problems.append(RowProblem(1, "code", "the file has no item rows"))
    if problems:
        raise RowsInvalid(source.name, problems)
    return departments, items


def _departments(source: CatalogSource, problems: list[RowProblem]) -> list[DepartmentRecord]:
    found: dict[str, DepartmentRecord] = {}
    for row in source.departments:
        reader = _Row(row, problems)
        code = reader.cell("code", lambda v: _code(v, DEPARTMENT_CODE), "")
        name_zh = reader.cell("name_zh", lambda v: cells.text(v, required=True, longest=200), "")
        name_en = reader.cell("name_en", lambda v: cells.text(v, longest=200), "")
        if reader.ok and code in found:
            reader.fail("code", f"department {code} is listed twice")
        if reader.ok:
            found[code] = DepartmentRecord(code, name_zh, name_en)
    return list(found.values())


def _new_department(row: SourceRow) -> DepartmentRecord | None:
    name = str(row.values.get("department_name_zh") or "").strip()
    if not name:
        return None
    code = str(row.values.get("department")).strip()
    return DepartmentRecord(code, name[:200],
                            str(row.values.get("department_name_en") or "").strip()[:200])


def _item(row: SourceRow, departments: set[str], problems: list[RowProblem]
          ) -> ItemRecord | None:
    reader = _Row(row, problems)
    code = reader.cell("code", lambda v: _code(v, CODE), "")
    department = reader.cell("department", lambda v: _code(v, DEPARTMENT_CODE), "")
    if department and department not in departments:
        reader.fail("department", f"unknown department {department} (add it to the "
                                  "departments, or give department_name_zh)")
    before = len(problems)
    statutory = reader.cell("statutory_days", cells.days, 0)
    committed = reader.cell("committed_days", cells.days, 0)
    instant = reader.cell("instant", cells.flag, False)
    limits_ok = len(problems) == before
    if limits_ok and committed > statutory:
        reader.fail("committed_days",
                    f"{committed} is more than the statutory limit {statutory}")
    elif limits_ok and instant and committed != 0:
        reader.fail("committed_days", f"{committed} for an instant item (即办件); use 0")
    fee_amount, fee_text = reader.cell(
        "fee", lambda v: cells.fee(v, row.values.get("fee_text")), (Decimal(0), ""))
    record = ItemRecord(
        code=code, department=department,
        name_zh=reader.cell("name_zh", lambda v: cells.text(v, required=True), ""),
        name_en=reader.cell("name_en", cells.text, ""),
        legal_basis=reader.cell("legal_basis", lambda v: cells.text(v, longest=4000), ""),
        conditions=reader.cell("conditions", lambda v: cells.text(v, longest=4000), ""),
        fee_amount=fee_amount, fee_text=fee_text, statutory_days=statutory,
        committed_days=committed, instant=instant,
        accept_levels=tuple(reader.cell(
            "accept_levels", lambda v: cells.levels(v, default=ITEM_LEVELS), [])),
        decide_levels=tuple(reader.cell("decide_levels", cells.levels, [])),
        materials=reader.cell("materials", cells.materials, ()))
    return record if reader.ok else None


def _code(value: Any, pattern: re.Pattern[str]) -> str:
    code = cells.text(value, required=True, longest=40)
    if not pattern.match(code):
        raise ValueError(f"{code!r} is not a code (letters, digits, '-', '_')")
    return code
