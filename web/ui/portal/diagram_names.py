"""The names the applicant's diagram shows: each element's name in the page's language (the
BPMN carries "受理审查 Check materials and accept"), lanes by role ("窗口人员", not
"window_clerk"). The viewer puts them in place of the names in the file.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.errors import DiagramInvalid
from engine.design.task_text import without_markup
from engine.models import Case, DeploymentFile
from engine.runtime.diagrams.safe_xml import local_name, parse_xml
from web.ui import forms as page_forms
from web.ui.i18n import lang
from web.ui.names import role_name

_NAMED = ("lane", "participant", "process")


def names_for(session: Session, case: Case) -> dict[str, str]:
    """Element id to the name to show, for the elements whose shown name differs."""
    out: dict[str, str] = {}
    rows = session.execute(select(DeploymentFile.name, DeploymentFile.content).where(
        DeploymentFile.deployment_id == case.deployment_id,
        DeploymentFile.name.like("%.bpmn"))).all()
    for name, content in rows:
        try:
            root = parse_xml(name, bytes(content)).getroot()
        except DiagramInvalid:
            continue
        for element in root.iter():
            ident, shown = element.get("id"), element.get("name")
            if not isinstance(element.tag, str) or not ident or not shown:
                continue
            plain = page_forms.localize(without_markup(shown), lang())
            if local_name(element) in _NAMED:
                plain = role_name(plain)
            if plain != shown:
                out[str(ident)] = plain
    return out
