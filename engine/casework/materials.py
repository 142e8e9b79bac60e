"""One set of materials per case: upload each once, every item that needs it reuses it."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from engine.casework import agency, permissions
from engine.casework.material_types import clean_filename, kind_of
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound, TooLarge
from engine.core.ports import FileStore
from engine.design import guides
from engine.models import AuditEvent, Case, CaseMaterial, DeploymentFile
from engine.runtime.case_runner import lock_case

log = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
# besides the applicant and administrators, who may hand in materials at the window
CLERKS = frozenset({"window_clerk"})
ENDED = ("completed", "cancelled")


@dataclass(frozen=True)
class Handed:
    """A current (not superseded) material of a case and the items that reuse it."""

    row: CaseMaterial
    material: guides.Material | None
    needed: bool


@dataclass(frozen=True)
class Checklist:
    """What a case has and still lacks: the one-set-of-materials view of a clerk."""

    handed: tuple[Handed, ...]
    missing: tuple[guides.Material, ...]


def start_data(session: Session, case: Case) -> dict[str, Any]:
    """The data the case was started with (applicant, applicant_user, answers), as audited."""
    detail = session.scalar(select(AuditEvent.detail).where(
        AuditEvent.case_id == case.id, AuditEvent.action == "case.started")
        .order_by(AuditEvent.id).limit(1))
    data = (detail or {}).get("data")
    return data if isinstance(data, dict) else {}


def _is_applicant(case: Case, actor: Actor) -> bool:
    return actor.username in (case.applicant, case.started_by)


def check_readable(session: Session, case: Case, actor: Actor) -> None:
    """Raise Forbidden unless ACTOR may see CASE (engine.casework.permissions)."""
    permissions.check_visible(session, case, actor)


def check_may_upload(session: Session, case: Case, actor: Actor) -> None:
    """Raise Forbidden unless ACTOR is the applicant, its agent authorised to supplement,
    an admin, or a window clerk who sees CASE."""
    if actor.is_admin or _is_applicant(case, actor):
        return
    if case.applicant and agency.active_for(session, actor, case.applicant, "supplement",
                                            case) is not None:
        return
    permissions.check_visible(session, case, actor)
    if not actor.groups & CLERKS:
        raise Forbidden(f"{actor.username} may not hand in materials for case {case.number} "
                        f"(the applicant, its agents, administrators and window clerks may)")


def _bundle_files(session: Session, case: Case) -> dict[str, bytes]:
    rows = session.execute(select(DeploymentFile.name, DeploymentFile.content).where(
        DeploymentFile.deployment_id == case.deployment_id,
        or_(DeploymentFile.name == guides.GUIDE_FILE, DeploymentFile.name.like("%.dmn"))))
    return {name: bytes(content) for name, content in rows}


def _guide(files: Mapping[str, bytes], case: Case) -> guides.Guide:
    if guides.GUIDE_FILE not in files:
        raise InvalidInput(f"bundle '{case.bundle_key}' has no guide, so it lists no materials")
    return guides.load_guide(files)


def _needed(session: Session, case: Case) -> tuple[guides.Guide, tuple[guides.Material, ...]]:
    """The guide and the materials the case's situation calls for."""
    files = _bundle_files(session, case)
    guide = _guide(files, case)
    answers = start_data(session, case).get("answers")
    if isinstance(answers, dict):
        try:
            return guide, guides.evaluate(files, answers).materials
        except InvalidInput as err:
            log.info("case %s: situation not decidable (%s); listing every material",
                     case.id, err.message)
    return guide, guides.merged_materials(guide, tuple(i.code for i in guide.items))


def upload(session: Session, store: FileStore, case: Case, code: str, filename: str,
           data: bytes, actor: Actor, *, max_bytes: int = MAX_BYTES) -> CaseMaterial:
    """Hand in DATA as material CODE of CASE; a newer upload of CODE supersedes the older."""
    check_may_upload(session, case, actor)
    if case.status in ENDED:
        raise Conflict(f"case {case.number} has ended ({case.status}); it takes no materials")
    name = clean_filename(filename)
    if len(data) > max_bytes:
        raise TooLarge(f"'{name}' is {len(data)} bytes; a material may be at most "
                       f"{max_bytes} bytes")
    if not data:
        raise InvalidInput(f"'{name}' is empty", [FieldError("file", "is empty")])
    guide = _guide(_bundle_files(session, case), case)
    if code not in {m.id for m in guide.materials}:
        known = ", ".join(m.id for m in guide.materials)
        raise InvalidInput(f"'{code}' is not a material of bundle '{case.bundle_key}' "
                           f"(its materials: {known})",
                           [FieldError("code", "is not a material of this bundle")])
    kind = kind_of(name, data)
    digest = hashlib.sha256(data).hexdigest()
    # one writer per case at a time, so exactly one upload of a code stays current
    lock_case(session, case.id)
    replaced = list(session.scalars(select(CaseMaterial.id).where(
        CaseMaterial.case_id == case.id, CaseMaterial.code == code,
        CaseMaterial.superseded.is_(False))))
    if replaced:
        session.execute(update(CaseMaterial).where(CaseMaterial.id.in_(replaced))
                        .values(superseded=True))
    store.put(digest, data)
    row = CaseMaterial(case_id=case.id, code=code, filename=name,
                       content_type=kind.content_type, size=len(data), sha256=digest,
                       uploaded_by=actor.label, uploaded_at=clock.now(), superseded=False)
    session.add(row)
    session.flush()
    audit.record(session, actor, "material.uploaded", case_id=case.id,
                 after={"material": row.id, "code": code}, filename=name, size=len(data),
                 sha256=digest, content_type=kind.content_type, superseded=replaced)
    log.info("case %s: material %s uploaded as %s", case.id, code, row.id)
    return row


def list_materials(session: Session, case: Case, actor: Actor) -> Checklist:
    """The case's current materials with the items reusing each, and what is still missing."""
    check_readable(session, case, actor)
    guide, needed = _needed(session, case)
    by_code = {m.id: m for m in guide.materials} | {m.id: m for m in needed}
    rows = session.scalars(select(CaseMaterial).where(
        CaseMaterial.case_id == case.id, CaseMaterial.superseded.is_(False))
        .order_by(CaseMaterial.id))
    handed = tuple(Handed(r, by_code.get(r.code), r.code in {m.id for m in needed})
                   for r in rows)
    have = {h.row.code for h in handed}
    return Checklist(handed, tuple(m for m in needed if m.id not in have))


def download(session: Session, store: FileStore, case: Case, material_id: int,
             actor: Actor) -> tuple[CaseMaterial, bytes]:
    """One uploaded material of CASE (current or superseded) and its bytes."""
    check_readable(session, case, actor)
    row = session.get(CaseMaterial, material_id)
    if row is None or row.case_id != case.id:
        raise NotFound(f"case {case.number} has no material {material_id}")
    try:
        return row, store.get(row.sha256)
    except KeyError:
        log.warning("case %s: blob of material %s is missing from the store", case.id, row.id)
        raise NotFound(f"the file of material {material_id} is no longer stored") from None


def _material_dict(material: guides.Material) -> dict[str, Any]:
    return {"code": material.id, "name": {"zh": material.name.zh, "en": material.name.en},
            "key": material.key, "items": list(material.items)}


def row_dict(row: CaseMaterial) -> dict[str, Any]:
    """One upload as the API shows it."""
    return {"id": row.id, "code": row.code, "filename": row.filename,
            "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at.isoformat(),
            "superseded": row.superseded}


def as_dict(checklist: Checklist) -> dict[str, Any]:
    """The checklist as the API shows it: current materials, then what is missing."""
    current = []
    for h in checklist.handed:
        known = _material_dict(h.material) if h.material else {"name": None, "key": False,
                                                               "items": []}
        current.append(row_dict(h.row) | known | {"code": h.row.code, "needed": h.needed})
    missing_key = [_material_dict(m) for m in checklist.missing if m.key]
    missing_other = [_material_dict(m) for m in checklist.missing if not m.key]
    return {"materials": current,
            "missing": {"key": missing_key, "other": missing_other},
            # only non-key gaps left: the window may accept with gaps (容缺受理)
            "key_complete": not missing_key, "complete": not checklist.missing}
