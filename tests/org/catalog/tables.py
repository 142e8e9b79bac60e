"""Write small catalogue files (CSV, XLSX) for the import tests."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.org.catalog.reading import COLUMNS

HEADER = list(COLUMNS)


def row(code: str, **changes: Any) -> dict[str, Any]:
    """A valid CSV row for an item of department MS, with CHANGES."""
    values: dict[str, Any] = {
        "code": code, "name_zh": f"测试事项{code}", "name_en": f"Test item {code}",
        "department": "MS", "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "符合条件", "fee": "0", "statutory_days": "20", "committed_days": "5",
        "instant": "no", "accept_levels": "county,center,branch,town",
        "decide_levels": "branch,center",
        "materials": "form:申请表|Application form:key;photo:现场照片:optional:2",
    }
    values.update(changes)
    return values


def write_csv(path: Path, rows: Sequence[dict[str, Any]], *, encoding: str = "utf-8-sig",
              header: Sequence[str] = HEADER) -> Path:
    """Write ROWS under HEADER as CSV, the way Excel saves it."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[dict[str, Any]],
               header: Sequence[str] = (*HEADER, "department_name_zh")) -> Path:
    """Write ROWS as the first sheet of a workbook, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append([_cell(values.get(column, "")) for column in header])
    book.save(path)
    return path


def _cell(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value
