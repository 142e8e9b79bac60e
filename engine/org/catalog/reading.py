"""Read catalogue rows from YAML, CSV or XLSX files, numbered as the user sees them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.core.errors import InvalidInput

COLUMNS = ("code", "name_zh", "name_en", "department", "legal_basis", "conditions", "fee",
           "statutory_days", "committed_days", "instant", "accept_levels", "decide_levels",
           "materials")
# optional extras: the fee in words, and a department to create when it is new
EXTRA_COLUMNS = ("fee_text", "department_name_zh", "department_name_en")
REQUIRED_COLUMNS = ("code", "name_zh", "department", "statutory_days", "committed_days",
                    "decide_levels", "materials")
SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
# libyaml's safe loader when the wheel has it: ten times faster on the shipped catalogue
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SourceRow:
    """One item row: its number (spreadsheet row, or position in a list) and raw values."""

    number: int
    values: Mapping[str, Any]


@dataclass
class CatalogSource:
    """What a catalogue file holds: item rows, optional departments, header problems."""

    name: str
    rows: list[SourceRow]
    departments: list[SourceRow] = field(default_factory=list)
    header_problems: list[tuple[str, str]] = field(default_factory=list)


def read_catalog(path: str | Path) -> CatalogSource:
    """Read PATH by its suffix (.yaml/.yml, .csv or .xlsx)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"{path.name}: a catalogue is a .yaml, .csv or .xlsx file")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if suffix == ".csv":
        return _table(path.name, _csv_lines(path.read_bytes()))
    if suffix == ".xlsx":
        return _table(path.name, _xlsx_lines(path))
    return _yaml(path.name, path.read_text(encoding="utf-8"))


def rows_of(records: Iterable[Mapping[str, Any]], name: str = "rows") -> CatalogSource:
    """Wrap in-memory records (numbered from 1) as a source."""
    return CatalogSource(name, [SourceRow(n, r if isinstance(r, Mapping) else {"": r})
                                for n, r in enumerate(records, start=1)])


def _yaml(name: str, text: str) -> CatalogSource:
    try:
        doc = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        raise InvalidInput(f"{name}: not valid YAML ({err})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        raise InvalidInput(f"{name}: expected a mapping with an 'items' list")
    departments = doc.get("departments") or []
    if not isinstance(departments, list):
        raise InvalidInput(f"{name}: 'departments' must be a list")
    return CatalogSource(name, [SourceRow(n, r if isinstance(r, dict) else {"": r})
                                for n, r in enumerate(doc["items"], start=1)],
                         [SourceRow(n, d if isinstance(d, dict) else {"": d})
                          for n, d in enumerate(departments, start=1)])


def _csv_lines(raw: bytes) -> list[list[Any]]:
    # county lists come out of Excel as UTF-8 with a BOM, or as GB18030
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    return [list(line) for line in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_lines(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InvalidInput(f"{path.name}: not a readable .xlsx workbook ({err})") from None
    try:
        sheet = book.worksheets[0]
        return [list(line) for line in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _table(name: str, lines: list[list[Any]]) -> CatalogSource:
    """Turn a header line plus data lines into rows; row 1 is the header."""
    if not lines:
        raise InvalidInput(f"{name}: the file is empty")
    header = [str(h).strip().lower() if h is not None else "" for h in lines[0]]
    problems = [(c, "missing column") for c in REQUIRED_COLUMNS if c not in header]
    known = set(COLUMNS) | set(EXTRA_COLUMNS)
    problems += [(h or f"#{i + 1}", "unknown column") for i, h in enumerate(header)
                 if h not in known]
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if all(_blank(v) for v in line):
            continue
        rows.append(SourceRow(number, {h: v for h, v in zip(header, line, strict=False)
                                       if h in known}))
    return CatalogSource(name, rows, header_problems=problems)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
