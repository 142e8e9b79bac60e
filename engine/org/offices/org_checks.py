"""Check an org.yaml document as a whole, naming each wrong field, before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from engine.core.errors import FieldError, InvalidInput
from engine.models.offices import OFFICE_LEVELS, POSTINGS, ROLES

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")
USERNAME = re.compile(r"^\S{1,80}$")


@dataclass(frozen=True)
class OfficeSpec:
    """One office as the file gives it."""

    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    town: str
    department: str | None
    timezone: str


@dataclass(frozen=True)
class PostSpec:
    """One posting of a person: office, role, resident or mission."""

    office: str
    role: str
    posting: str


@dataclass(frozen=True)
class PersonSpec:
    """One staff member and all their postings."""

    username: str
    display_name: str
    posts: tuple[PostSpec, ...]


@dataclass
class OrgFile:
    """A checked org model."""

    offices: list[OfficeSpec] = field(default_factory=list)
    staff: list[PersonSpec] = field(default_factory=list)


def _text(entry: dict[str, Any], key: str, default: str = "") -> str:
    value = entry.get(key, default)
    return str(value).strip() if value is not None else default


def check_org(doc: dict[str, Any], stored_offices: set[str], departments: set[str]) -> OrgFile:
    """Validate DOC; raise InvalidInput naming every problem (path and reason)."""
    errors: list[FieldError] = []
    org = OrgFile()
    raw_offices = doc.get("offices") or []
    raw_staff = doc.get("staff") or []
    if not isinstance(raw_offices, list) or not isinstance(raw_staff, list):
        raise InvalidInput("org file: 'offices' and 'staff' must be lists")
    for n, entry in enumerate(raw_offices):
        spec = _office(f"offices[{n}]", entry, departments, errors)
        if spec is not None and any(o.code == spec.code for o in org.offices):
            errors.append(FieldError(f"offices[{n}].code", f"{spec.code} is listed twice"))
        elif spec is not None:
            org.offices.append(spec)
    known = stored_offices | {o.code for o in org.offices}
    for n, spec in enumerate(org.offices):
        if spec.parent and spec.parent not in known:
            errors.append(FieldError(f"offices[{n}].parent", f"unknown office {spec.parent}"))
    errors += _cycles(org.offices)
    for n, entry in enumerate(raw_staff):
        person = _person(f"staff[{n}]", entry, known, errors)
        if person is not None:
            org.staff.append(person)
    if errors:
        raise InvalidInput(f"org file: {len(errors)} problem(s); nothing was imported", errors)
    return org


def _office(where: str, entry: Any, departments: set[str], errors: list[FieldError]
            ) -> OfficeSpec | None:
    if not isinstance(entry, dict):
        errors.append(FieldError(where, "must be a mapping"))
        return None
    before = len(errors)
    code, level = _text(entry, "code"), _text(entry, "level")
    if not CODE.match(code):
        errors.append(FieldError(f"{where}.code", f"{code!r} is not an office code "
                                                  "(lower-case letters, digits, '_', '-')"))
    if not _text(entry, "name_zh"):
        errors.append(FieldError(f"{where}.name_zh", "is required"))
    if level not in OFFICE_LEVELS:
        errors.append(FieldError(f"{where}.level", f"{level!r} is not one of "
                                                   f"{', '.join(OFFICE_LEVELS)}"))
    department = _text(entry, "department") or None
    if department and department not in departments:
        errors.append(FieldError(f"{where}.department", f"unknown department {department} "
                                                        "(import the catalogue first)"))
    zone = _text(entry, "timezone", "Asia/Shanghai")
    if not _known_zone(zone):
        errors.append(FieldError(f"{where}.timezone", f"unknown time zone {zone!r}"))
    if len(errors) > before:
        return None
    return OfficeSpec(code, _text(entry, "name_zh")[:200], _text(entry, "name_en")[:200], level,
                      _text(entry, "parent") or None, _text(entry, "town")[:100], department,
                      zone)


@cache
def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _cycles(offices: list[OfficeSpec]) -> list[FieldError]:
    parent = {o.code: o.parent for o in offices}
    found = []
    for n, office in enumerate(offices):
        seen, node = {office.code}, parent.get(office.code)
        while node is not None and node in parent:
            if node in seen:
                found.append(FieldError(f"offices[{n}].parent",
                                        f"{office.code} is its own ancestor"))
                break
            seen.add(node)
            node = parent[node]
    return found


def _person(where: str, entry: Any, offices: set[str], errors: list[FieldError]
            ) -> PersonSpec | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("posts", []), list):
        errors.append(FieldError(where, "must be a mapping with a 'posts' list"))
        return None
    before = len(errors)
    username = _text(entry, "username")
    if not USERNAME.match(username):
        errors.append(FieldError(f"{where}.username", "1-80 characters without spaces"))
    posts = []
    for n, post in enumerate(entry.get("posts") or []):
        at = f"{where}.posts[{n}]"
        post = post if isinstance(post, dict) else {}
        office, role = _text(post, "office"), _text(post, "role")
        posting = _text(post, "posting", "resident")
        if office not in offices:
            errors.append(FieldError(f"{at}.office", f"unknown office {office!r}"))
        if role not in ROLES:
            errors.append(FieldError(f"{at}.role", f"{role!r} is not one of {', '.join(ROLES)}"))
        if posting not in POSTINGS:
            errors.append(FieldError(f"{at}.posting", f"{posting!r} is not resident or mission"))
        posts.append(PostSpec(office, role, posting))
    if len({(p.office, p.role) for p in posts}) != len(posts):
        errors.append(FieldError(f"{where}.posts", "the same office and role twice"))
    if len(errors) > before:
        return None
    return PersonSpec(username, _text(entry, "display_name")[:200], tuple(posts))
