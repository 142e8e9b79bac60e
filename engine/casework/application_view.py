"""The application a case was started with, as staff read it: each field the applicant
entered (phone, credit code, address, the answers to the situational questions) with the
title the start form gives it, and choices by their title rather than their code."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.casework import contracts, materials, permissions
from engine.core.actors import Actor
from engine.design import application_form, guides
from engine.models import Case
from engine.runtime.engine import Engine

# the start data that is the engine's own, not the applicant's
_HIDDEN = frozenset({"applicant_user", "office", "channel", "routing"})


def _schema(rt: Engine, session: Session, case: Case, lang: str) -> dict[str, Any]:
    bundle = rt.specs.get(session, case.deployment_id)
    guide = guides.guide_of_version(rt.guides, case.deployment_id, bundle.files)
    if guide is not None:
        return application_form.application_schema(guide, lang)
    return contracts.start_form(bundle, case.process_id, guide) or {}


def shown_value(value: Any, schema: dict[str, Any]) -> Any:
    """VALUE as a person reads it: a choice by its title."""
    for choice in schema.get("oneOf") or schema.get("anyOf") or []:
        if isinstance(choice, dict) and choice.get("const") == value and choice.get("title"):
            return str(choice["title"])
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, dict):
        return [shown_value(v, items) for v in value]
    return value


def field_rows(data: dict[str, Any], schema: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    props = schema.get("properties") or {}
    rows: list[dict[str, Any]] = []
    ordered = [n for n in props if n in data] + [n for n in data if n not in props]
    for name in ordered:
        if not prefix and name in _HIDDEN:
            continue
        value = data[name]
        found = props.get(name)
        sub: dict[str, Any] = found if isinstance(found, dict) else {}
        if isinstance(value, dict) and isinstance(sub.get("properties"), dict):
            rows.extend(field_rows(value, sub, f"{prefix}{name}."))
            continue
        if value is None or value == "":
            continue
        rows.append({"name": prefix + name, "title": str(sub.get("title") or name),
                     "value": shown_value(value, sub)})
    return rows


def application(rt: Engine, session: Session, case: Case, actor: Actor,
                lang: str = "zh") -> list[dict[str, Any]]:
    """The fields of CASE's application for staff who may see it: name (``answers.area``
    for an answer), title in LANG, and the value as entered (a choice by its title)."""
    permissions.check_staff_visible(session, case, actor)
    data = materials.start_data(session, case)
    if not data:
        return []
    return field_rows(data, _schema(rt, session, case, lang), "")
