"""Deployments: upload a bundle as a new version, list versions, read their files."""

from __future__ import annotations

import mimetypes
from typing import Any

from flask import Blueprint, Response, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from engine.core.errors import Forbidden, InvalidInput, NotFound
from engine.design import deployments
from engine.models import Deployment, DeploymentFile
from web.api.validation import Fields, paging
from web.context import actor, transaction

bp = Blueprint("deployments", __name__, url_prefix="/deployments")

DESIGNERS = "designer"
# larger ids cannot exist (ids are 32-bit integer columns on PostgreSQL): route them to 404
DEPLOYMENT_ID = "int:deployment_id"

_TYPES = {".bpmn": "application/xml", ".dmn": "application/xml", ".xml": "application/xml",
          ".json": "application/json", ".md": "text/markdown; charset=utf-8",
          ".yaml": "application/yaml", ".yml": "application/yaml"}


def _uploaded_files() -> dict[str, bytes]:
    if not request.mimetype.startswith("multipart/form-data"):
        raise InvalidInput("send the files as multipart/form-data in the field 'files'")
    files: dict[str, bytes] = {}
    for upload in request.files.getlist("files"):
        # browsers send folder uploads as 'folder/name'; a bundle is flat
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        if name in files:
            raise InvalidInput(f"'{name}' is uploaded twice")
        files[name] = upload.read()
    unexpected = sorted(set(request.files) - {"files"})
    if unexpected:
        raise InvalidInput(f"put every file in the field 'files', not {', '.join(unexpected)}")
    return files


@bp.post("")
def create() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Deploy the uploaded files; 201 for a new version, 200 when identical to one stored."""
    who = actor()
    # stopgap until engine.deployments.deploy checks this itself (see the lead's backlog)
    if not (who.is_admin or DESIGNERS in who.groups):
        raise Forbidden(f"only administrators and the '{DESIGNERS}' group may deploy")
    form = Fields(request.form)
    bundle = form.text("bundle")
    form.done()
    files = _uploaded_files()
    with transaction() as session:
        result = deployments.deploy(session, files, actor=who, bundle_key=bundle or None)
        body = deployments.as_dict(result.deployment, created=result.created)
    status = 201 if result.created else 200
    return body, status, {"Location": f"{request.path}/{body['id']}"}


@bp.get("")
def index() -> dict[str, Any]:
    """List deployed versions, optionally of one bundle."""
    query = Fields(request.args, query=True)
    bundle = query.text("bundle")
    limit, offset = paging(query)
    query.done(allow_unknown=True)
    # the engine has no listing function yet; this read is the only SQL in web/
    stmt = select(Deployment)
    if bundle:
        stmt = stmt.where(Deployment.bundle_key == bundle)
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(stmt.order_by(Deployment.bundle_key, Deployment.version.desc())
                               .limit(limit).offset(offset))
        items = [deployments.as_dict(d) for d in rows]
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@bp.get(f"/<{DEPLOYMENT_ID}>")
def show(deployment_id: int) -> dict[str, Any]:
    """One deployment with its files' names, hashes and sizes."""
    with transaction() as session:
        dep = _get(session, deployment_id)
        files = [{"name": f.name, "sha256": f.sha256, "size": len(f.content),
                  "url": f"{request.path}/files/{f.name}"} for f in dep.files]
        return deployments.as_dict(dep, files=files)


@bp.get(f"/<{DEPLOYMENT_ID}>/files/<name>")
def raw_file(deployment_id: int, name: str) -> BaseResponse:
    """The stored bytes of one file, never rendered as a page by the browser."""
    with transaction() as session:
        _get(session, deployment_id)
        row = session.scalar(select(DeploymentFile).where(
            DeploymentFile.deployment_id == deployment_id, DeploymentFile.name == name))
        if row is None:
            raise NotFound(f"deployment {deployment_id} has no file '{name}'")
        content = bytes(row.content)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    mimetype = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = Response(content, content_type=mimetype)
    # uploaded XML could carry XHTML script; keep it inert if opened in a browser
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(row.sha256)
    return response.make_conditional(request)


def _get(session: Session, deployment_id: int) -> Deployment:
    dep = session.get(Deployment, deployment_id)
    if dep is None:
        raise NotFound(f"deployment {deployment_id} not found")
    return dep
