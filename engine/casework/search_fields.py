"""Which start fields of a bundle are the applicant's name, credit code and phone.

A bundle says so declaratively, in one of two places:

- its guide.yaml, with a ``search`` mapping from the three keys to start-form fields
  (a dotted name reaches into an object)::

      search:
        applicant_name: applicant
        credit_code: id_number
        phone: contact_phone

- or its start form's JSON Schema, with ``"x-onething-search": "phone"`` (or
  ``applicant_name`` / ``credit_code``) on a top-level property.

The guide's mapping wins where both name a key. What is found is normalised for an
exact match: the credit code upper-case without spaces, the phone as its digits.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from engine.casework import contracts
from engine.design import guides
from engine.runtime.diagrams import CompiledBundle

KEYS = ("applicant_name", "credit_code", "phone")
GUIDE_KEY = "search"
MARKER = "x-onething-search"
# the widths of the case_search columns
WIDTHS = {"applicant_name": 200, "credit_code": 40, "phone": 40}


@lru_cache(maxsize=64)
def _from_guide(raw: bytes) -> dict[str, str]:
    """The ``search`` mapping of a guide.yaml's text (read once per content)."""
    try:
        doc = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    found = doc.get(GUIDE_KEY) if isinstance(doc, dict) else None
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if k in KEYS and isinstance(v, str) and v}


def _from_schema(schema: dict[str, Any] | None) -> dict[str, str]:
    """The properties of a start form marked with x-onething-search."""
    out: dict[str, str] = {}
    for name, sub in ((schema or {}).get("properties") or {}).items():
        key = sub.get(MARKER) if isinstance(sub, dict) else None
        if key in KEYS:
            out.setdefault(str(key), str(name))
    return out


def declared(bundle: CompiledBundle, process_id: str,
             guide: guides.Guide | None) -> dict[str, str]:
    """Search key -> start field name, as the bundle declares them."""
    fields = _from_schema(contracts.start_form(bundle, process_id, guide))
    raw = bundle.files.get(guides.GUIDE_FILE)
    if raw is not None:
        fields.update(_from_guide(bytes(raw)))
    return fields


def _value(data: dict[str, Any], path: str) -> Any:
    found: Any = data
    for part in path.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def normalise(key: str, value: str) -> str:
    """VALUE as stored and compared for KEY."""
    if key == "credit_code":
        value = re.sub(r"\s+", "", value).upper()
    elif key == "phone":
        value = re.sub(r"\D", "", value)
    else:
        value = " ".join(value.split())
    return value[:WIDTHS[key]]


def values(fields: dict[str, str], data: dict[str, Any]) -> dict[str, str | None]:
    """The normalised search values of start DATA (None where absent or not text)."""
    out: dict[str, str | None] = {}
    for key in KEYS:
        raw = _value(data, fields[key]) if key in fields else None
        text = normalise(key, raw) if isinstance(raw, str) else ""
        out[key] = text or None
    return out
