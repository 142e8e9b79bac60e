"""Importing CSV, XLSX and in-memory rows: all or nothing, row-level errors, idempotent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from engine.core.actors import SYSTEM, Actor
from engine.core.db import unit_of_work
from engine.core.errors import Forbidden
from engine.models import AuditEvent, Department, Item
from engine.org.catalog import RowsInvalid, get_item, import_catalog
from tests.org.catalog.tables import HEADER, row, write_csv, write_xlsx

MARKET = {"department_name_zh": "乐陵市市场监督管理局", "department_name_en": "Market"}


def _import(db, source, **kwargs):
    with unit_of_work(db) as session:
        return import_catalog(session, source, actor=SYSTEM, **kwargs)


def _count(db, model=Item) -> int:
    with unit_of_work(db, read_only=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _messages(err: RowsInvalid) -> list[str]:
    return [str(p) for p in err.problems]


def test_csv_import_creates_items_department_and_materials(db, tmp_path):
    path = write_csv(tmp_path / "items.csv", [
        row("T-001", **MARKET), row("T-002", fee="50.5", fee_text="每件50.5元", instant="是",
                                    committed_days="0")],
        header=[*HEADER, "fee_text", "department_name_zh", "department_name_en"])
    counts = _import(db, path)
    assert (counts.created, counts.updated, counts.unchanged, counts.departments) == (2, 0, 0, 1)
    with unit_of_work(db, read_only=True) as session:
        item = get_item(session, "T-001")
        assert item.department.name_zh == "乐陵市市场监督管理局"
        assert item.accept_levels == ["county", "center", "branch", "town"]
        assert item.decide_levels == ["center", "branch"]
        assert [(m.code, m.name_en, m.key, m.copies) for m in item.materials] == [
            ("form", "Application form", True, 1), ("photo", "", False, 2)]
        paid = get_item(session, "T-002")
        assert paid.instant and paid.fee_amount == Decimal("50.50")
        assert paid.fee_text == "每件50.5元" and item.fee_text == "不收费"
        assert session.scalar(select(AuditEvent.action)) == "catalog.import"


def test_xlsx_import_with_numeric_cells(db, tmp_path):
    _import(db, [{**row("T-000"), **MARKET}])
    path = write_xlsx(tmp_path / "items.xlsx", [row("X-001", statutory_days="15"),
                                                row("X-002", committed_days="3")])
    counts = _import(db, path)
    assert counts.created == 2
    with unit_of_work(db, read_only=True) as session:
        assert get_item(session, "X-001").statutory_days == 15
        assert get_item(session, "X-002").committed_days == 3


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_bad_file_names_row_column_and_reason_and_writes_nothing(db, tmp_path, writer):
    path = writer(tmp_path / f"bad.{'csv' if writer is write_csv else 'xlsx'}", [
        {**row("B-001"), **MARKET},
        row("B-002", committed_days="25"),
        row("B-003", decide_levels="province"),
        row("B-001"),
        row("B-005", department="ZZ", materials=""),
        row("B-006", statutory_days="twenty", fee="-3"),
    ], **({"header": [*HEADER, "department_name_zh"]} if writer is write_csv else {}))
    with pytest.raises(RowsInvalid) as caught:
        _import(db, path)
    messages = _messages(caught.value)
    assert "row 3, column committed_days: 25 is more than the statutory limit 20" in messages
    assert any(m.startswith("row 4, column decide_levels: province is not") for m in messages)
    assert "row 5, column code: B-001 is already in row 2" in messages
    assert any(m.startswith("row 6, column department: unknown department ZZ")
               for m in messages)
    assert "row 6, column materials: an item needs at least one material" in messages
    assert any(m.startswith("row 7, column statutory_days:") for m in messages)
    assert any(m.startswith("row 7, column fee:") for m in messages)
    # the error carries the same list as fields for the API's problem+json
    assert caught.value.fields[0].path.startswith("row ")
    assert _count(db) == 0 and _count(db, Department) == 0


def test_rows_bad_inside_the_callers_transaction_roll_everything_back(db):
    with pytest.raises(RowsInvalid), unit_of_work(db) as session:
        import_catalog(session, [{**row("A-001"), **MARKET}], actor=SYSTEM)
        import_catalog(session, [row("A-002", instant="maybe")], actor=SYSTEM)
    assert _count(db) == 0


def test_missing_and_unknown_columns_are_reported_on_row_1(db, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("code,name_zh,colour\nQ-1,测试,red\n", encoding="utf-8")
    with pytest.raises(RowsInvalid) as caught:
        _import(db, path)
    messages = _messages(caught.value)
    assert "row 1, column department: missing column" in messages
    assert "row 1, column colour: unknown column" in messages


def test_reimport_is_idempotent_and_changes_are_updates(db, tmp_path):
    rows = [{**row(f"R-{n:03}"), **MARKET} for n in range(5)]
    header = [*HEADER, "department_name_zh", "department_name_en"]
    path = write_csv(tmp_path / "items.csv", rows, header=header)
    assert _import(db, path).created == 5
    again = _import(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    rows[1]["committed_days"] = "2"
    rows[2]["materials"] = "photo:现场照片:key;extra:补充材料"
    changed = _import(db, write_csv(tmp_path / "changed.csv", rows, header=header))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 3)
    with unit_of_work(db, read_only=True) as session:
        assert [(m.code, m.key) for m in get_item(session, "R-002").materials] == [
            ("photo", True), ("extra", False)]


def test_a_300_row_csv_imports_with_progress(db, tmp_path):
    rows = [{**row(f"G-{n:04}", committed_days=str(n % 20), statutory_days="20"), **MARKET}
            for n in range(300)]
    path = write_csv(tmp_path / "county.csv", rows,
                     header=[*HEADER, "department_name_zh", "department_name_en"])
    seen: list[tuple[int, int]] = []
    counts = _import(db, path, progress=lambda done, total: seen.append((done, total)))
    assert counts.created == 300 and _count(db) == 300
    assert seen[-1] == (300, 300) and len(seen) == 300


def test_gb18030_csv_from_an_old_excel_reads(db, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [{**row("C-001"), **MARKET}], encoding="gb18030",
                     header=[*HEADER, "department_name_zh", "department_name_en"])
    assert _import(db, path).created == 1
    with unit_of_work(db, read_only=True) as session:
        assert get_item(session, "C-001").name_zh == "测试事项C-001"


def test_only_catalogue_editors_may_import(db):
    with pytest.raises(Forbidden), unit_of_work(db) as session:
        import_catalog(session, [row("F-001")], actor=Actor("clerk", frozenset({"reviewer"})))
