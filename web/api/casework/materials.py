"""Case materials: hand each in once, see what the case has and lacks, read one back."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, request, send_file
from pydantic import Field
from werkzeug.wrappers import Response as BaseResponse

from engine.casework import cases, materials
from engine.casework.material_types import BY_SUFFIX
from engine.core.errors import FieldError, InvalidInput
from web import refs
from web.api.declare import Body, Reply, operation, read
from web.context import actor, file_store, transaction

bp = Blueprint("materials", __name__, url_prefix="/cases/<case_ref>/materials")

# larger ids cannot exist (ids are 32-bit integer columns on PostgreSQL): route them to 404
MATERIAL_ID = "int:material_id"
MEDIA_TYPES = sorted({kind.content_type for kind in BY_SUFFIX.values()})


class MaterialForm(Body):
    """The text fields of an upload, beside its file."""

    code: str = Field(min_length=1, description="the guide's material id")


class MaterialName(Reply):
    zh: str
    en: str


class Material(Reply):
    """One uploaded material; in a checklist also what the guide says of it."""

    id: int
    code: str = Field(description="the guide's material id")
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    superseded: bool
    name: MaterialName | None = None
    key: bool | None = None
    items: list[str] | None = Field(None, description="only in a checklist")
    needed: bool | None = Field(None, description="the case's situation calls for it")


class NeededMaterial(Reply):
    """A material the case's situation calls for and nobody handed in yet."""

    code: str
    name: MaterialName
    key: bool
    items: list[str] = Field(description="codes of the items that use this material")


class MissingMaterials(Reply):
    key: list[NeededMaterial]
    other: list[NeededMaterial]


class MaterialChecklist(Reply):
    """What the case has and what it still lacks."""

    materials: list[Material] = Field(
        description="current uploads, each once, with the items reusing it")
    missing: MissingMaterials
    key_complete: bool = Field(
        description="only non-key materials missing: may accept with gaps")
    complete: bool


def _uploaded(limit: int) -> tuple[str, bytes]:
    """The one file in the multipart field 'file', read to at most LIMIT + 1 bytes."""
    if not request.mimetype.startswith("multipart/form-data"):
        raise InvalidInput("send the material as multipart/form-data in the field 'file'")
    unexpected = sorted(set(request.files) - {"file"})
    files = request.files.getlist("file")
    if unexpected or len(files) != 1:
        raise InvalidInput("send exactly one file, in the field 'file'",
                           [FieldError("file", "needs exactly one file")])
    # one byte past the limit is enough for the engine to refuse it as too large
    return files[0].filename or "", files[0].stream.read(limit + 1)


@bp.post("")
@operation("uploadMaterial", tag="materials", ok={201: Material}, errors=("403", "404", "409"),
           upload={"file": "file", **MaterialForm.model_json_schema()["properties"]})
def create(case_ref: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Hand in one material; it supersedes an earlier one of its code."""
    form = read(MaterialForm, request.form)
    limit = int(current_app.config["MATERIALS_MAX_BYTES"])
    filename, data = _uploaded(limit)
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        row = materials.upload(session, file_store(), case, form.code, filename, data, actor(),
                               max_bytes=limit)
        body = materials.row_dict(row)
    return body, 201, {"Location": f"{request.path}/{body['id']}"}


@bp.get("")
@operation("listMaterials", tag="materials", ok={200: MaterialChecklist},
           errors=("403", "404", "422"))
def index(case_ref: str) -> dict[str, Any]:
    """The case's materials, the items reusing each, and what is missing."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return materials.as_dict(materials.list_materials(session, case, actor()))


@bp.get(f"/<{MATERIAL_ID}>")
@operation("getMaterial", tag="materials", ok={200: None}, errors=("403", "404"),
           media={200: {kind: {"schema": {"type": "string", "contentMediaType": kind}}
                        for kind in MEDIA_TYPES}},
           descriptions={200: "The file, as an attachment"})
def show(case_ref: str, material_id: int) -> BaseResponse:
    """The bytes of one uploaded material."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        row, data = materials.download(session, file_store(), case, material_id, actor())
    response = send_file(io.BytesIO(data), mimetype=row.content_type, as_attachment=True,
                         download_name=row.filename, etag=row.sha256, max_age=0)
    # spectree reads the body of every reply it passes on; the bytes are in memory anyway
    response.direct_passthrough = False
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
