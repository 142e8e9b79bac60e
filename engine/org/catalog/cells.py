"""Parse one catalogue cell (text, days, flags, levels, fee, materials) or say why not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.models.catalog import ITEM_LEVELS

LEVEL_SEPARATORS = re.compile(r"[,;|、，；\s]+")
MATERIAL_SEPARATORS = re.compile(r"[;；\n]+")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "key", "required", "必需", "必要"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "optional", "", "可选", "非必需"}
MAX_DAYS = 3650


@dataclass(frozen=True)
class MaterialRecord:
    """A material as validated: code, names, key flag, copies, note."""

    code: str
    name_zh: str
    name_en: str = ""
    key: bool = False
    copies: int = 1
    note: str = ""


def text(value: Any, *, required: bool = False, longest: int = 300) -> str:
    """A trimmed string of at most LONGEST characters."""
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be text")
    result = str(value).strip()
    if required and not result:
        raise ValueError("is required")
    if len(result) > longest:
        raise ValueError(f"is {len(result)} characters long; at most {longest} are allowed")
    return result


def days(value: Any) -> int:
    """A whole number of working days, 0..MAX_DAYS."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError("is required (a whole number of working days)")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number of days") from None
    if number != number.to_integral_value():
        raise ValueError(f"{value} is not a whole number of days")
    if not 0 <= number <= MAX_DAYS:
        raise ValueError(f"{value} is outside 0..{MAX_DAYS}")
    return int(number)


def flag(value: Any) -> bool:
    """Yes or no, in English, Chinese or digits."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not yes or no")


def levels(value: Any, *, default: tuple[str, ...] = ()) -> list[str]:
    """Office levels (county, center, branch, town), in catalogue order, at least one."""
    if isinstance(value, list | tuple):
        words = [str(v).strip().lower() for v in value]
    elif value is None or isinstance(value, str):
        words = [w.lower() for w in LEVEL_SEPARATORS.split(value or "") if w]
    else:
        raise ValueError("must be a list of office levels")
    if not words:
        if default:
            return list(default)
        raise ValueError(f"needs at least one of {', '.join(ITEM_LEVELS)}")
    unknown = [w for w in words if w not in ITEM_LEVELS]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} is not an office level "
                         f"(use {', '.join(ITEM_LEVELS)})")
    return [level for level in ITEM_LEVELS if level in words]


def fee(value: Any, words: Any = None) -> tuple[Decimal, str]:
    """An amount in yuan (>= 0, two decimals) and its description."""
    if isinstance(value, dict):
        value, words = value.get("amount", 0), value.get("text", words)
    if value is None or value == "":
        value = 0
    if isinstance(value, bool):
        raise ValueError("is not an amount in yuan")
    try:
        amount = Decimal(str(value).strip().removeprefix("¥").removesuffix("元"))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount in yuan") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise ValueError(f"{value} is not an amount in yuan (0 or more)")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than two decimals")
    described = text(words, longest=500) or ("不收费" if amount == 0 else "")
    return amount.quantize(Decimal("0.01")), described


def materials(value: Any) -> tuple[MaterialRecord, ...]:
    """Materials: a list of mappings, or 'CODE:名称[|English]:key|optional[:copies];...'."""
    if isinstance(value, str):
        entries: list[Any] = [e.strip() for e in MATERIAL_SEPARATORS.split(value) if e.strip()]
    elif isinstance(value, list):
        entries = value
    elif value is None:
        entries = []
    else:
        raise ValueError("must be a list of materials")
    if not entries:
        raise ValueError("an item needs at least one material")
    found = [_material(n, e) for n, e in enumerate(entries, start=1)]
    seen: set[str] = set()
    for material in found:
        if material.code in seen:
            raise ValueError(f"material code {material.code} appears twice")
        seen.add(material.code)
    return tuple(found)


def _material(number: int, entry: Any) -> MaterialRecord:
    where = f"material {number}"
    try:
        if isinstance(entry, dict):
            return MaterialRecord(
                code=text(entry.get("code"), required=True, longest=40),
                name_zh=text(entry.get("name_zh"), required=True),
                name_en=text(entry.get("name_en")), key=flag(entry.get("key", False)),
                copies=_copies(entry.get("copies", 1)),
                note=text(entry.get("note"), longest=500))
        if not isinstance(entry, str):
            raise ValueError("must be a mapping or 'code:name:key'")
        parts = [p.strip() for p in entry.replace("：", ":").split(":")]
        if len(parts) < 2 or len(parts) > 4:
            raise ValueError(f"'{entry}' is not 'code:name[:key|optional[:copies]]'")
        name_zh, _, name_en = parts[1].partition("|")
        return MaterialRecord(code=text(parts[0], required=True, longest=40),
                              name_zh=text(name_zh, required=True), name_en=text(name_en),
                              key=flag(parts[2]) if len(parts) > 2 else False,
                              copies=_copies(parts[3]) if len(parts) > 3 else 1)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def _copies(value: Any) -> int:
    if isinstance(value, bool) or not str(value).strip().isdigit() or not 1 <= int(value) <= 99:
        raise ValueError(f"copies {value!r} is not a number from 1 to 99")
    return int(value)
