"""The designer studio: bundles and their versions, and saving edits as new versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core.actors import Actor
from engine.core.errors import InvalidInput, NotFound
from engine.design import deployments
from engine.design.deployments import DeployResult
from engine.models import Case, Deployment
from engine.org import roles

DIAGRAM_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn")
UPLOAD_SUFFIXES = (".bpmn", ".bpmn20.xml", ".dmn", ".json", ".yaml", ".yml", ".md")
BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")


def is_bpmn(name: str) -> bool:
    """Whether NAME is a BPMN diagram file."""
    return name.lower().endswith(BPMN_SUFFIXES)


def _case_counts(session: Session) -> dict[int, dict[str, int]]:
    """Per deployment id: how many cases run, and how many it ever had."""
    counts: dict[int, dict[str, int]] = {}
    rows = session.execute(select(Case.deployment_id, Case.status, func.count())
                           .group_by(Case.deployment_id, Case.status))
    for dep_id, status, n in rows:
        entry = counts.setdefault(dep_id, {"running": 0, "cases": 0})
        entry["cases"] += n
        if status == "running":
            entry["running"] += n
    return counts


def version_as_dict(dep: Deployment, counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    """One version for the studio: numbers, author, files and its case counts."""
    found = counts or {}
    return {"id": dep.id, "bundle": dep.bundle_key, "version": dep.version,
            "content_hash": dep.content_hash, "flavour": dep.flavour,
            "main_process": dep.main_process_id, "created_at": dep.created_at.isoformat(),
            "created_by": dep.created_by, "files": [f.name for f in dep.files],
            "diagram": main_diagram_name(dep), "running": found.get("running", 0),
            "cases": found.get("cases", 0)}


def list_bundles(session: Session) -> list[dict[str, Any]]:
    """Every bundle with its versions (newest first) and running-case counts."""
    counts = _case_counts(session)
    bundles: dict[str, dict[str, Any]] = {}
    for dep in session.scalars(select(Deployment).order_by(Deployment.bundle_key,
                                                           Deployment.version.desc())):
        entry = bundles.setdefault(dep.bundle_key, {"bundle": dep.bundle_key, "versions": [],
                                                    "running": 0})
        version = version_as_dict(dep, counts.get(dep.id))
        entry["versions"].append(version)
        entry["running"] += version["running"]
    for entry in bundles.values():
        entry["latest"] = entry["versions"][0]["version"]
    return list(bundles.values())


def get_version(session: Session, deployment_id: int) -> Deployment:
    """The deployment with DEPLOYMENT_ID, or NotFound."""
    dep = session.get(Deployment, deployment_id) if 0 < deployment_id < 2**63 else None
    if dep is None:
        raise NotFound(f"version {deployment_id} not found")
    return dep


def version_details(session: Session, deployment_id: int) -> dict[str, Any]:
    """One version with its case counts."""
    dep = get_version(session, deployment_id)
    return version_as_dict(dep, _case_counts(session).get(dep.id))


def latest_version(session: Session, bundle_key: str) -> Deployment:
    """The newest version of BUNDLE_KEY, or NotFound."""
    dep = session.scalars(select(Deployment).where(Deployment.bundle_key == bundle_key)
                          .order_by(Deployment.version.desc())).first()
    if dep is None:
        raise NotFound(f"no deployed bundle '{bundle_key}'")
    return dep


def main_diagram_name(dep: Deployment) -> str | None:
    """The BPMN file that holds the version's main process (else its first BPMN file)."""
    bpmn = [f for f in dep.files if is_bpmn(f.name)]
    marker = f'id="{dep.main_process_id}"'.encode()
    for file in bpmn:
        if marker in file.content:
            return file.name
    return bpmn[0].name if bpmn else None


def file_content(dep: Deployment, name: str | None = None) -> tuple[str, bytes]:
    """The name and bytes of one file of DEP (default: its main diagram)."""
    wanted = name or main_diagram_name(dep)
    for file in dep.files:
        if file.name == wanted:
            return file.name, bytes(file.content)
    raise NotFound(f"version {dep.id} has no file '{wanted}'")


def files_of(dep: Deployment) -> dict[str, bytes]:
    """Every file of DEP by name."""
    return {f.name: bytes(f.content) for f in dep.files}


def save_diagram(session: Session, deployment_id: int, name: str, xml: bytes, *,
                 actor: Actor) -> DeployResult:
    """Replace diagram NAME of a version with XML and deploy the result as a new version.

    The files go through the same loader as every deployment: a problem raises
    DiagramInvalid naming file, line and element, and nothing is stored; unchanged
    content answers the version already stored.
    """
    roles.require(actor, roles.DESIGNERS, "edit diagrams")
    base = get_version(session, deployment_id)
    files = files_of(base)
    if name not in files:
        raise NotFound(f"version {deployment_id} has no file '{name}'")
    if not name.lower().endswith(DIAGRAM_SUFFIXES):
        raise InvalidInput(f"'{name}' is not a BPMN or DMN diagram")
    if not xml.strip():
        raise InvalidInput("the diagram is empty")
    files[name] = xml
    return deployments.deploy(session, files, actor=actor, bundle_key=base.bundle_key)


def add_files(session: Session, bundle_key: str, uploads: Mapping[str, bytes], *,
              actor: Actor) -> DeployResult:
    """Add or replace UPLOADS in the newest version of BUNDLE_KEY and deploy the result."""
    roles.require(actor, roles.DESIGNERS, "upload bundle files")
    if not uploads:
        raise InvalidInput("no files given")
    for name in uploads:
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            raise InvalidInput(f"'{name}': only .bpmn, .dmn, .json, .yaml and .md files "
                               "belong in a bundle")
    base = latest_version(session, bundle_key)
    files = {**files_of(base), **uploads}
    return deployments.deploy(session, files, actor=actor, bundle_key=bundle_key)

