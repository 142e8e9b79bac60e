"""Deploy bundles as content-hashed versions and find the process a case should start."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import DiagramInvalid, InvalidInput, NotFound, Problem, TooLarge
from engine.design import staffing_check, task_text_check
from engine.design.guides import GUIDE_FILE, load_guide
from engine.models import Deployment, DeploymentFile, ProcessDefinition
from engine.org import roles
from engine.runtime.diagrams import compile_bundle

log = logging.getLogger(__name__)

ACCEPTED_SUFFIXES = (".bpmn", ".bpmn20.xml", ".xml", ".dmn", ".json", ".md", ".yaml", ".yml")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_BUNDLE_BYTES = 20 * 1024 * 1024


@dataclass
class DeployResult:
    deployment: Deployment
    created: bool
    # what the lint found that does not stop the bundle: expressions the sandbox will refuse
    # when they run, form fields that decide who works a task, ...
    warnings: list[Problem] = field(default_factory=list)


def content_hash(files: Mapping[str, bytes]) -> str:
    """One hash over every file's name and bytes, independent of upload order."""
    outer = hashlib.sha256()
    for name in sorted(files):
        outer.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return outer.hexdigest()


def check_files(files: Mapping[str, bytes]) -> None:
    """Refuse uploads that are empty, too large, oddly named or of a kind we don't read."""
    if not files:
        raise InvalidInput("no files given")
    total = 0
    for name, content in files.items():
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise InvalidInput(f"'{name}': file names must be plain names without folders")
        if not name.lower().endswith(ACCEPTED_SUFFIXES):
            raise InvalidInput(f"'{name}': only .bpmn, .dmn, .json, .md and .yaml files "
                               "can be deployed")
        if len(content) > MAX_FILE_BYTES:
            raise TooLarge(f"'{name}' is {len(content)} bytes; the limit is {MAX_FILE_BYTES}")
        total += len(content)
    if total > MAX_BUNDLE_BYTES:
        raise TooLarge(f"the bundle is {total} bytes; the limit is {MAX_BUNDLE_BYTES}")


def read_paths(paths: list[Path]) -> dict[str, bytes]:
    """Collect files from folders (a bundle) and single files, keyed by file name."""
    files: dict[str, bytes] = {}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.name.lower().endswith(ACCEPTED_SUFFIXES):
                    if child.name in files:
                        raise InvalidInput(f"{child}: another file in the bundle is also "
                                           f"named '{child.name}'")
                    files[child.name] = child.read_bytes()
        elif path.is_file():
            files[path.name] = path.read_bytes()
        else:
            raise NotFound(f"{path}: no such file or folder")
    return files


def deploy(session: Session, files: Mapping[str, bytes], *, actor: Actor,
           bundle_key: str | None = None) -> DeployResult:
    """Validate and store FILES as a new version, or return the identical one already stored."""
    roles.require(actor, roles.DESIGNERS, "deploy bundles")
    check_files(files)
    bundle = compile_bundle(files)
    if GUIDE_FILE in files:
        load_guide(files)
    text_problems, text_warnings = task_text_check.check_bundle(bundle)
    if text_problems:
        raise DiagramInvalid(text_problems)
    bundle.warnings = [*bundle.warnings, *text_warnings]
    # groups nobody could work for: a warning, the staff may be posted after the deploy
    bundle.warnings = [*bundle.warnings,
                       *staffing_check.unstaffed_group_warnings(session, bundle)]
    key = bundle_key or bundle.process_ids[0]
    digest = content_hash(files)
    existing = session.scalars(select(Deployment).where(
        Deployment.bundle_key == key, Deployment.content_hash == digest)).first()
    if existing is not None:
        return DeployResult(existing, False, list(bundle.warnings))
    latest = session.scalar(select(func.max(Deployment.version))
                            .where(Deployment.bundle_key == key)) or 0
    dep = Deployment(bundle_key=key, version=latest + 1, content_hash=digest,
                     flavour=bundle.flavour, main_process_id=bundle.process_ids[0],
                     process_ids=list(bundle.process_ids), created_at=clock.now(),
                     created_by=actor.username)
    dep.files = [DeploymentFile(name=n, sha256=hashlib.sha256(c).hexdigest(), content=c)
                 for n, c in sorted(files.items())]
    session.add(dep)
    session.flush()
    for pid in bundle.process_ids:
        spec = bundle.specs[pid][0]
        session.add(ProcessDefinition(deployment_id=dep.id, process_id=pid,
                                      name=getattr(spec, "description", None) or pid))
    audit.record(session, actor, "deployment.created", bundle=key, version=dep.version,
                 deployment_id=dep.id, files=sorted(files))
    log.info("deployed %s version %s (%s)", key, dep.version, digest[:12])
    return DeployResult(dep, True, list(bundle.warnings))


def find_start(session: Session, key: str, version: int | None = None) -> tuple[Deployment, str]:
    """Resolve a bundle key or process id to (deployment, process id), newest version first."""
    query = select(Deployment).where(Deployment.bundle_key == key)
    if version is not None:
        query = query.where(Deployment.version == version)
    dep = session.scalars(query.order_by(Deployment.version.desc())).first()
    if dep is not None:
        return dep, dep.main_process_id
    pd_query = (select(Deployment).join(ProcessDefinition)
                .where(ProcessDefinition.process_id == key))
    if version is not None:
        pd_query = pd_query.where(Deployment.version == version)
    dep = session.scalars(pd_query.order_by(Deployment.id.desc())).first()
    if dep is None:
        raise NotFound(f"no deployed bundle or process named '{key}'")
    return dep, key


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A diagram problem or warning as the API shows it."""
    return {"file": problem.file, "line": problem.line, "element": problem.element,
            "message": problem.message}


def as_dict(dep: Deployment, **extra: Any) -> dict[str, Any]:
    return {"id": dep.id, "bundle": dep.bundle_key, "version": dep.version,
            "content_hash": dep.content_hash, "flavour": dep.flavour,
            "main_process": dep.main_process_id, "processes": dep.process_ids,
            "created_at": dep.created_at.isoformat(), "created_by": dep.created_by,
            "files": [f.name for f in dep.files], **extra}
