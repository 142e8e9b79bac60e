"""Deployments: upload a bundle as a new version, list versions, read their files."""

from __future__ import annotations

import mimetypes
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request
from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from engine.core.errors import Forbidden, InvalidInput, NotFound
from engine.design import deployments
from engine.models import Deployment as DeploymentRow
from engine.models import DeploymentFile
from web.api.declare import Body, DiagramProblem, Paged, Reply, operation, read
from web.context import actor, transaction

bp = Blueprint("deployments", __name__, url_prefix="/deployments")

DESIGNERS = "designer"
# larger ids cannot exist (ids are 32-bit integer columns on PostgreSQL): route them to 404
DEPLOYMENT_ID = "int:deployment_id"
# the multipart body of an upload: the files of the bundle, all in one field
FILES_UPLOAD: dict[str, Any] = {"files": "files"}

_TYPES = {".bpmn": "application/xml", ".dmn": "application/xml", ".xml": "application/xml",
          ".json": "application/json", ".md": "text/markdown; charset=utf-8",
          ".yaml": "application/yaml", ".yml": "application/yaml"}
# the media types the document names for a stored file: those of _TYPES, and the fallback
FILE_MEDIA: dict[str, dict[str, Any]] = {
    kind: {} for kind in ("application/xml", "application/json", "text/markdown",
                          "application/yaml", "application/octet-stream")}


class DeployForm(Body):
    """The text fields beside the files of a deployment upload."""

    bundle: str = Field("", description="bundle key; default: the first process")


class DeploymentList(Paged):
    bundle: str | None = Field(None, description="only this bundle key")


class DeploymentFileRef(Reply):
    """One stored file of a deployment, and where to read its bytes."""

    name: str
    sha256: str
    size: int
    url: str


class VersionFacts(Reply):
    """What every reply about a deployed version says of it."""

    warnings: list[DiagramProblem] | None = Field(
        None, description="only on deploying or saving: what the checks found that does not "
                          "stop the bundle (an expression the sandbox will refuse when it "
                          "runs, a form field that decides who works a task)")
    id: int
    bundle: str
    version: int
    content_hash: str
    flavour: str
    main_process: str
    created_at: datetime
    created_by: str | None


class Deployment(VersionFacts):
    """One deployed version of a bundle."""

    processes: list[str]
    files: list[str | DeploymentFileRef] = Field(
        description="file names; on a single deployment, each file with its hash and size")
    created: bool | None = Field(
        None, description="only on deploying: whether a new version was stored")


class DeploymentPage(Reply):
    """A page of deployments."""

    items: list[Deployment]
    total: int
    limit: int
    offset: int


def uploaded_files() -> dict[str, bytes]:
    """The files of a multipart upload's 'files' field, by their (flat) names."""
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
@operation("deploy", tag="deployments", ok={201: Deployment, 200: Deployment},
           errors=("403",), descriptions={201: "A new version was stored",
                                          200: "Identical to a stored version"},
           upload={**FILES_UPLOAD, **DeployForm.model_json_schema()["properties"]})
def create() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Deploy a bundle (BPMN, DMN, forms) as a new version."""
    who = actor()
    # refused before the upload is read, as the engine would refuse it after
    if not (who.is_admin or DESIGNERS in who.groups):
        raise Forbidden(f"only administrators and the '{DESIGNERS}' group may deploy")
    form = read(DeployForm, request.form.to_dict())
    files = uploaded_files()
    with transaction() as session:
        result = deployments.deploy(session, files, actor=who, bundle_key=form.bundle or None)
        body = deployments.as_dict(result.deployment, created=result.created,
                                   warnings=[deployments.problem_dict(w)
                                             for w in result.warnings])
    status = 201 if result.created else 200
    return body, status, {"Location": f"{request.path}/{body['id']}"}


@bp.get("")
@operation("listDeployments", tag="deployments", query=DeploymentList,
           ok={200: DeploymentPage})
def index(query: DeploymentList) -> dict[str, Any]:
    """List deployed versions."""
    # the engine has no listing function yet; this read is the only SQL in web/
    stmt = select(DeploymentRow)
    if query.bundle:
        stmt = stmt.where(DeploymentRow.bundle_key == query.bundle)
    with transaction() as session:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = session.scalars(stmt.order_by(DeploymentRow.bundle_key,
                                             DeploymentRow.version.desc())
                               .limit(query.limit).offset(query.offset))
        items = [deployments.as_dict(d) for d in rows]
    return {"items": items, "total": total, "limit": query.limit, "offset": query.offset}


@bp.get(f"/<{DEPLOYMENT_ID}>")
@operation("getDeployment", tag="deployments", ok={200: Deployment}, errors=("404",))
def show(deployment_id: int) -> dict[str, Any]:
    """One deployment with its files."""
    with transaction() as session:
        dep = _get(session, deployment_id)
        files = [{"name": f.name, "sha256": f.sha256, "size": len(f.content),
                  "url": f"{request.path}/files/{f.name}"} for f in dep.files]
        return deployments.as_dict(dep, files=files)


@bp.get(f"/<{DEPLOYMENT_ID}>/files/<name>")
@operation("getDeploymentFile", tag="deployments", errors=("404",), media={200: FILE_MEDIA},
           descriptions={200: "The file"})
def raw_file(deployment_id: int, name: str) -> BaseResponse:
    """The raw bytes of one deployed file."""
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


def _get(session: Session, deployment_id: int) -> DeploymentRow:
    dep = session.get(DeploymentRow, deployment_id)
    if dep is None:
        raise NotFound(f"deployment {deployment_id} not found")
    return dep
