"""The designer studio's API: bundles and versions, saving an edited diagram, uploading
files into a bundle, comparing two versions and the heat of a version."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from pydantic import Field

from engine.design import deployments, heat, studio, version_diff
from engine.design.deployments import DeployResult
from engine.org import roles
from web.api.declare import Body, Query, Reply, operation
from web.api.design.deployments import (
    DEPLOYMENT_ID,
    FILES_UPLOAD,
    VersionFacts,
    uploaded_files,
)
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("studio", __name__, url_prefix="/studio")

MAX_XML_CHARS = 5 * 1024 * 1024
DEPLOYED = {201: "A new version", 200: "Identical to a stored version"}


class SaveDiagram(Body):
    xml: str = Field(min_length=1, max_length=MAX_XML_CHARS, description="the BPMN XML")
    file: str | None = Field(None, description="file to replace (default: main diagram)")


class VersionPair(Query):
    # 'from' is a Python keyword: the fields carry the query's names as aliases
    older: int = Field(alias="from", ge=1, le=MAX_ID, description="the older version's id")
    newer: int = Field(alias="to", ge=1, le=MAX_ID, description="the newer version's id")


class StudioVersion(VersionFacts):
    """One version of a bundle with its case counts."""

    files: list[str]
    diagram: str | None = Field(description="the BPMN file of the main process")
    running: int = Field(description="cases of this version running now")
    cases: int = Field(description="cases of this version ever started")
    created: bool | None = Field(
        None, description="only on saving or uploading: whether a new version was stored")


class StudioBundle(Reply):
    bundle: str
    latest: int = Field(description="the newest version number")
    running: int
    versions: list[StudioVersion] = Field(description="newest first")


class StudioBundles(Reply):
    items: list[StudioBundle]


class VersionRef(Reply):
    id: int
    version: int


class DiagramElement(Reply):
    """A BPMN element with an id; a changed one also says what it was and what changed."""

    id: str
    type: str
    name: str | None


class FileChanges(Reply):
    added: list[str]
    removed: list[str]
    changed: list[str]
    unchanged: list[str]


class DiagramChanges(Reply):
    added: list[DiagramElement]
    removed: list[DiagramElement]
    changed: list[DiagramElement]
    layout_only: bool = Field(description="only the layout differs")


class VersionDiff(Reply):
    """What changed between two versions of a bundle."""

    bundle: str
    older: VersionRef = Field(alias="from")
    newer: VersionRef = Field(alias="to")
    files: FileChanges
    diagrams: dict[str, DiagramChanges] = Field(description="each changed BPMN file")


class ElementHeat(Reply):
    element: str
    name: str | None
    type: str | None
    cases: int = Field(description="running cases there now")
    errors: int = Field(description="cases stopped there by an error")
    completed: int = Field(description="work items completed there")
    average_seconds: float | None = Field(description="average time a work item stayed")


class VersionHeat(Reply):
    """Per element of a version: the cases there and the time spent there."""

    id: int
    bundle: str
    version: int
    running: int
    elements: list[ElementHeat]


def _may_use_studio() -> None:
    roles.require(actor(), roles.DESIGNERS, "use the designer studio")


def _deployed(result: DeployResult) -> tuple[dict[str, Any], int]:
    body = {**studio.version_as_dict(result.deployment), "created": result.created,
            "warnings": [deployments.problem_dict(w) for w in result.warnings]}
    return body, 201 if result.created else 200


@bp.get("/bundles")
@operation("studioBundles", tag="studio", ok={200: StudioBundles}, errors=("403",))
def bundles() -> dict[str, Any]:
    """Bundles with their versions and running cases."""
    _may_use_studio()
    with transaction() as session:
        return {"items": studio.list_bundles(session)}


@bp.get(f"/versions/<{DEPLOYMENT_ID}>")
@operation("studioVersion", tag="studio", ok={200: StudioVersion}, errors=("403", "404"))
def version(deployment_id: int) -> dict[str, Any]:
    """One version with its case counts."""
    _may_use_studio()
    with transaction() as session:
        return studio.version_details(session, deployment_id)


@bp.post(f"/versions/<{DEPLOYMENT_ID}>/diagram")
@operation("studioSaveDiagram", tag="studio", body=SaveDiagram,
           ok={201: StudioVersion, 200: StudioVersion}, errors=("403", "404"),
           descriptions=DEPLOYED)
def save_diagram(deployment_id: int, json: SaveDiagram) -> tuple[dict[str, Any], int]:
    """Validate an edited diagram and deploy it as the next version (identical content: the
    stored one)."""
    _may_use_studio()
    with transaction() as session:
        target = json.file or studio.main_diagram_name(studio.get_version(session, deployment_id))
        result = studio.save_diagram(session, deployment_id, target or "",
                                     json.xml.encode("utf-8"), actor=actor())
        return _deployed(result)


@bp.post("/bundles/<key>/files")
@operation("studioUpload", tag="studio", ok={201: StudioVersion, 200: StudioVersion},
           errors=("403", "404"), upload=FILES_UPLOAD, descriptions=DEPLOYED)
def upload(key: str) -> tuple[dict[str, Any], int]:
    """Add or replace files in a bundle and deploy it."""
    _may_use_studio()
    files = uploaded_files()
    with transaction() as session:
        return _deployed(studio.add_files(session, key, files, actor=actor()))


@bp.get("/diff")
@operation("studioDiff", tag="studio", query=VersionPair, ok={200: VersionDiff},
           errors=("403", "404"))
def diff(query: VersionPair) -> dict[str, Any]:
    """Compare two versions: files and BPMN elements."""
    _may_use_studio()
    with transaction() as session:
        return version_diff.compare(studio.get_version(session, query.older),
                                    studio.get_version(session, query.newer))


@bp.get(f"/versions/<{DEPLOYMENT_ID}>/heat")
@operation("studioHeat", tag="studio", ok={200: VersionHeat}, errors=("403", "404"))
def version_heat(deployment_id: int) -> dict[str, Any]:
    """Cases at each element now and the average time there."""
    _may_use_studio()
    with transaction() as session:
        return heat.heat(session, deployment_id)
