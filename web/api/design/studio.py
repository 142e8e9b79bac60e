"""The designer studio's API: bundles and versions, saving an edited diagram, uploading
files into a bundle, comparing two versions and the heat of a version."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from engine.design import heat, studio, version_diff
from engine.design.deployments import DeployResult
from engine.org import roles
from web.api.design.deployments import DEPLOYMENT_ID, _uploaded_files
from web.api.validation import Fields, json_object
from web.context import actor, transaction
from web.refs import MAX_ID

bp = Blueprint("studio", __name__, url_prefix="/studio")

MAX_XML_CHARS = 5 * 1024 * 1024


def _may_use_studio() -> None:
    roles.require(actor(), roles.DESIGNERS, "use the designer studio")


def _deployed(result: DeployResult) -> tuple[dict[str, Any], int]:
    body = {**studio.version_as_dict(result.deployment), "created": result.created}
    return body, 201 if result.created else 200


@bp.get("/bundles")
def bundles() -> dict[str, Any]:
    """Every bundle with its versions and running-case counts."""
    _may_use_studio()
    with transaction() as session:
        return {"items": studio.list_bundles(session)}


@bp.get(f"/versions/<{DEPLOYMENT_ID}>")
def version(deployment_id: int) -> dict[str, Any]:
    """One version with its case counts."""
    _may_use_studio()
    with transaction() as session:
        return studio.version_details(session, deployment_id)


@bp.post(f"/versions/<{DEPLOYMENT_ID}>/diagram")
def save_diagram(deployment_id: int) -> tuple[dict[str, Any], int]:
    """Save an edited diagram of a version as the bundle's next version (after validation)."""
    _may_use_studio()
    body = Fields(json_object())
    xml = body.text("xml", required=True)
    name = body.text("file")
    body.done()
    assert xml is not None
    with transaction() as session:
        target = name or studio.main_diagram_name(studio.get_version(session, deployment_id))
        result = studio.save_diagram(session, deployment_id, target or "",
                                     xml.encode("utf-8"), actor=actor())
        return _deployed(result)


@bp.post("/bundles/<key>/files")
def upload(key: str) -> tuple[dict[str, Any], int]:
    """Add or replace files in the newest version of a bundle and deploy the result."""
    _may_use_studio()
    files = _uploaded_files()
    with transaction() as session:
        return _deployed(studio.add_files(session, key, files, actor=actor()))


@bp.get("/diff")
def diff() -> dict[str, Any]:
    """What changed between two versions of a bundle: files, and BPMN elements by id."""
    _may_use_studio()
    query = Fields(request.args, query=True)
    old = query.integer("from", required=True, minimum=1, maximum=MAX_ID)
    new = query.integer("to", required=True, minimum=1, maximum=MAX_ID)
    query.done()
    assert old is not None and new is not None
    with transaction() as session:
        return version_diff.compare(studio.get_version(session, old),
                                    studio.get_version(session, new))


@bp.get(f"/versions/<{DEPLOYMENT_ID}>/heat")
def version_heat(deployment_id: int) -> dict[str, Any]:
    """Per element of a version: cases there now and the average time spent there."""
    _may_use_studio()
    with transaction() as session:
        return heat.heat(session, deployment_id)


def openapi_paths() -> dict[str, Any]:
    """The studio's operations for the OpenAPI document."""
    from web.openapi import DEP_ID, _json, _op, _path, _query
    from web.openapi_types import BOOL, INT, OBJ, STR, TIME, nullable, obj

    version_schema = obj({
        "id": INT, "bundle": STR, "version": INT, "content_hash": STR, "flavour": STR,
        "main_process": STR, "created_at": TIME, "created_by": nullable(STR),
        "files": {"type": "array", "items": STR}, "diagram": nullable(STR),
        "running": INT, "cases": INT, "created": BOOL,
    }, ("id", "bundle", "version", "running", "cases"), closed=False)
    element = obj({"id": STR, "type": STR, "name": nullable(STR)}, ("id", "type"),
                  closed=False)
    listed = {"type": "array", "items": element}
    return {
        "/api/v1/studio/bundles": {
            "get": _op("studioBundles", "Bundles with their versions and running cases",
                       "studio", {"200": _json(obj({"items": {"type": "array", "items": obj({
                           "bundle": STR, "latest": INT, "running": INT,
                           "versions": {"type": "array", "items": version_schema}},
                           closed=False)}}, ("items",)), "Bundles")}, "403"),
        },
        "/api/v1/studio/versions/{deployment_id}": {
            "get": _op("studioVersion", "One version with its case counts", "studio",
                       {"200": _json(version_schema, "The version")}, "403", "404",
                       params=[DEP_ID]),
        },
        "/api/v1/studio/versions/{deployment_id}/diagram": {
            "post": {**_op("studioSaveDiagram", "Validate an edited diagram and deploy it as "
                           "the next version (identical content: the stored one)", "studio",
                           {"201": _json(version_schema, "A new version"),
                            "200": _json(version_schema, "Identical to a stored version")},
                           "403", "404", "400", "413", "415", "422", params=[DEP_ID]),
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": obj({"xml": {"type": "string", "maxLength": MAX_XML_CHARS},
                                        "file": {"type": "string", "description":
                                                 "file to replace (default: main diagram)"}},
                                       ("xml",))}}}},
        },
        "/api/v1/studio/bundles/{key}/files": {
            "post": _op("studioUpload", "Add or replace files in a bundle and deploy it",
                        "studio", {"201": _json(version_schema, "A new version"),
                                   "200": _json(version_schema, "Identical to a stored one")},
                        "403", "404", params=[_path("key", "bundle key")],
                        upload="DeploymentUpload"),
        },
        "/api/v1/studio/diff": {
            "get": _op("studioDiff", "Compare two versions: files and BPMN elements", "studio",
                       {"200": _json(obj({
                           "bundle": STR, "from": OBJ, "to": OBJ,
                           "files": obj({k: {"type": "array", "items": STR} for k in
                                         ("added", "removed", "changed", "unchanged")}),
                           "diagrams": {"type": "object", "additionalProperties": obj({
                               "added": listed, "removed": listed, "changed": listed,
                               "layout_only": BOOL})}}, ("files", "diagrams"), closed=False),
                           "The differences")}, "403", "404", "422",
                       params=[_query("from", "the older version's id", {"type": "integer"}),
                               _query("to", "the newer version's id", {"type": "integer"})]),
        },
        "/api/v1/studio/versions/{deployment_id}/heat": {
            "get": _op("studioHeat", "Cases at each element now and the average time there",
                       "studio", {"200": _json(obj({
                           "id": INT, "bundle": STR, "version": INT, "running": INT,
                           "elements": {"type": "array", "items": obj({
                               "element": STR, "name": nullable(STR), "type": nullable(STR),
                               "cases": INT, "errors": INT, "completed": INT,
                               "average_seconds": nullable({"type": "number"})})}},
                           ("elements",), closed=False), "The heat")}, "403", "404",
                       params=[DEP_ID]),
        },
    }
