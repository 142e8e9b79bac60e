"""Application drafts: the one merged form of a bundle, saved until the applicant submits it.

The form is the applicant's details plus the answers to the bundle's situational
questions (the guide decides from them which items and materials apply). Submitting a
complete draft starts the case with ``cases.start_case`` at the chosen office and channel;
an agent fills in and submits drafts for its principal under an authorisation with the
'apply' scope.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.casework import agency, cases, forms
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, InvalidInput, NotFound
from engine.design import deployments, guides
from engine.design.application_form import application_schema
from engine.models import ApplicationDraft, Case
from engine.runtime.engine import Engine

DRAFT = "draft"
SUBMITTED = "submitted"
def _owner(session: Session, actor: Actor, key: str, on_behalf_of: str | None) -> str:
    """Whose application ACTOR writes: its own, or (as an agent) its principal's."""
    if on_behalf_of is None or on_behalf_of == actor.username:
        return actor.username
    agency.acting_as(session, actor, on_behalf_of, "apply", None, bundle=key)
    return on_behalf_of


def _may_touch(draft: ApplicationDraft, actor: Actor) -> bool:
    return actor.is_admin or actor.username in (draft.owner, draft.created_by)


def get_draft(session: Session, draft_id: int, actor: Actor) -> ApplicationDraft:
    """A draft its owner or writer may open (NotFound for anyone else: drafts are private)."""
    draft = session.get(ApplicationDraft, draft_id)
    if draft is None or not _may_touch(draft, actor):
        raise NotFound.of("draft %(draft)s not found", draft=draft_id)
    return draft


def list_drafts(session: Session, actor: Actor, status: str = DRAFT) -> list[ApplicationDraft]:
    """The drafts ACTOR owns or wrote, newest first."""
    return list(session.scalars(
        select(ApplicationDraft)
        .where(ApplicationDraft.status == status,
               (ApplicationDraft.owner == actor.username)
               | (ApplicationDraft.created_by == actor.username))
        .order_by(ApplicationDraft.updated_at.desc(), ApplicationDraft.id.desc())))


def save_draft(session: Session, actor: Actor, key: str, data: dict[str, Any], *,
               office: str | None = None, channel: str | None = None,
               draft_id: int | None = None, version: int | None = None,
               on_behalf_of: str | None = None) -> ApplicationDraft:
    """Create or update a draft; VERSION, when given, must be the one last read."""
    forms.check_data(data, "draft data")
    now = clock.now()
    if draft_id is None:
        owner = _owner(session, actor, key, on_behalf_of)
        draft = ApplicationDraft(bundle_key=key, owner=owner, created_by=actor.username,
                                 data=copy.deepcopy(data), office_code=office or None,
                                 channel=channel or None, status=DRAFT, version=1,
                                 created_at=now, updated_at=now)
        session.add(draft)
        session.flush()
        return draft
    draft = get_draft(session, draft_id, actor)
    if draft.status != DRAFT:
        raise Conflict(f"draft {draft.id} was already submitted")
    if version is not None and version != draft.version:
        raise Conflict.of("draft %(draft)s was changed meanwhile (in another window); "
                          "reload it and try again", draft=draft.id)
    draft.data = copy.deepcopy(data)
    draft.office_code = office or None
    draft.channel = channel or None
    draft.version += 1
    draft.updated_at = now
    session.flush()
    return draft


def delete_draft(session: Session, draft_id: int, actor: Actor) -> None:
    """Throw a draft away (a submitted one stays, as the record of its case)."""
    draft = get_draft(session, draft_id, actor)
    if draft.status != DRAFT:
        raise Conflict(f"draft {draft.id} was already submitted")
    session.delete(draft)


def submit_draft(rt: Engine, session: Session, draft_id: int, actor: Actor, *,
                 version: int | None = None) -> Case:
    """Check the draft is complete and start its case at its office and channel."""
    draft = get_draft(session, draft_id, actor)
    if draft.status != DRAFT:
        raise Conflict(f"draft {draft.id} was already submitted")
    if version is not None and version != draft.version:
        raise Conflict.of("draft %(draft)s was changed meanwhile; reload it and try again",
                          draft=draft.id)
    dep_guide = guide_of_bundle(rt, session, draft.bundle_key)
    forms.validate(application_schema(dep_guide), draft.data)
    problems = []
    if not draft.office_code:
        problems.append(FieldError("office", "choose the office that accepts the case"))
    if not draft.channel:
        problems.append(FieldError("channel", "choose how you apply"))
    if problems:
        raise InvalidInput.of("the application is not complete", problems)
    data = copy.deepcopy(draft.data)
    who = actor
    if draft.owner != actor.username and not actor.is_admin:
        who = agency.for_start(session, actor, draft.owner, draft.bundle_key)
    case = cases.start_case(rt, session, draft.bundle_key, data, actor=who,
                            applicant=draft.owner,
                            business_key=str(data.get("id_number") or "") or None,
                            title=str(data.get("applicant") or "") or None,
                            office=draft.office_code, channel=draft.channel)
    draft.status = SUBMITTED
    draft.case_id = case.id
    draft.version += 1
    draft.updated_at = clock.now()
    audit.record(session, who, "draft.submitted", case_id=case.id, draft=draft.id)
    return case


def guide_of_bundle(rt: Engine, session: Session, key: str) -> guides.Guide:
    """The guide of the newest version of bundle KEY."""
    dep, _process = deployments.find_start(session, key)
    files = rt.specs.get(session, dep.id).files
    if guides.GUIDE_FILE not in files:
        raise NotFound(f"bundle '{key}' has no guide")
    guide = rt.guides.get(dep.id)
    if guide is None:
        guide = rt.guides[dep.id] = guides.load_guide(files)
    return guide


def as_dict(draft: ApplicationDraft) -> dict[str, Any]:
    """The draft as the API shows it."""
    return {"id": draft.id, "bundle": draft.bundle_key, "owner": draft.owner,
            "created_by": draft.created_by, "data": draft.data, "office": draft.office_code,
            "channel": draft.channel, "status": draft.status, "case_id": draft.case_id,
            "version": draft.version, "created_at": draft.created_at.isoformat(),
            "updated_at": draft.updated_at.isoformat()}
