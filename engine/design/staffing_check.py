"""Deploy-time warning: the candidate groups of a bundle that have nobody in any office.

A task drawn for a group no active account belongs to would wait for ever; the deploy
names those groups (a warning, not a refusal: the staff may be posted after the deploy).
A task's groups are read as the engine assigns them (``engine.runtime.assignment``): its
own candidates, else its lane. A group computed from case data (``${review_group}``) is
known only when a case runs; one written ``role@${office}`` is checked for its role.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from engine.core.errors import Problem
from engine.org.offices.staffing import staffed_groups
from engine.runtime.assignment import APPLICANT_LANE
from engine.runtime.diagrams import CompiledBundle, ElementMeta

PERSON_TASKS = frozenset({"userTask", "manualTask"})
_ROLE_AT_VARIABLE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)@[$#]\{[^}]*\}$")


def _groups_of(meta: ElementMeta) -> list[str]:
    named = [*meta.candidate_groups,
             *(p.strip() for p in (meta.properties.get("candidateGroups") or "").split(","))]
    groups = [g.strip() for g in named if g and g.strip()]
    users = [*meta.candidate_users, meta.properties.get("candidateUsers") or "",
             meta.assignee or ""]
    if not groups and not any(u.strip() for u in users) and meta.lane:
        groups = [meta.lane]
    return [g for g in groups if g != APPLICANT_LANE]


def _checked(group: str) -> str | None:
    """The group to look for: GROUP itself, the role of 'role@${x}', None if unknowable."""
    if "${" not in group and "#{" not in group:
        return group
    match = _ROLE_AT_VARIABLE.match(group)
    return match.group(1) if match else None


def _file_of(bundle: CompiledBundle, process_id: str) -> str:
    marker = f'id="{process_id}"'.encode()
    for name, content in sorted(bundle.files.items()):
        if name.lower().endswith((".bpmn", ".bpmn20.xml", ".xml")) and marker in content:
            return name
    return process_id


def unstaffed_group_warnings(session: Session, bundle: CompiledBundle) -> list[Problem]:
    """One warning per task of BUNDLE whose candidate group no active account belongs to."""
    wanted: dict[str, list[tuple[ElementMeta, str]]] = {}
    for meta in bundle.elements.values():
        if meta.kind not in PERSON_TASKS:
            continue
        for group in _groups_of(meta):
            looked_up = _checked(group)
            if looked_up is not None:
                wanted.setdefault(looked_up, []).append((meta, group))
    staffed = staffed_groups(session, wanted)
    problems: list[Problem] = []
    for looked_up in sorted(set(wanted) - staffed):
        for meta, group in wanted[looked_up]:
            problems.append(Problem(
                _file_of(bundle, meta.process_id),
                f"candidate group '{group}' of task '{meta.name or meta.id}' has nobody: "
                f"no active account in any office belongs to '{looked_up}' / "
                f"候选组“{group}”在任何机构都没有在岗人员",
                meta.line, meta.id))
    return problems
