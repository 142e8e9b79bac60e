"""Case materials: hand each in once, see what the case has and lacks, read one back."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, current_app, request, send_file
from werkzeug.wrappers import Response as BaseResponse

from engine.casework import cases, materials
from engine.core.errors import FieldError, InvalidInput
from web import refs
from web.api.validation import Fields
from web.context import actor, file_store, transaction

bp = Blueprint("materials", __name__, url_prefix="/cases/<case_ref>/materials")

# larger ids cannot exist (ids are 32-bit integer columns on PostgreSQL): route them to 404
MATERIAL_ID = "int:material_id"


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
def create(case_ref: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Hand in one material of the case; an earlier upload of its code is superseded."""
    form = Fields(request.form)
    code = form.text("code", required=True)
    form.done()
    assert code is not None  # done() raised otherwise
    limit = int(current_app.config["MATERIALS_MAX_BYTES"])
    filename, data = _uploaded(limit)
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        row = materials.upload(session, file_store(), case, code, filename, data, actor(),
                               max_bytes=limit)
        body = materials.row_dict(row)
    return body, 201, {"Location": f"{request.path}/{body['id']}"}


@bp.get("")
def index(case_ref: str) -> dict[str, Any]:
    """The case's current materials with the items reusing each, and what is missing."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        return materials.as_dict(materials.list_materials(session, case, actor()))


@bp.get(f"/<{MATERIAL_ID}>")
def show(case_ref: str, material_id: int) -> BaseResponse:
    """The uploaded bytes, as an attachment of the type the content proved to be."""
    with transaction() as session:
        case = cases.get_case(session, refs.case_ref(case_ref))
        row, data = materials.download(session, file_store(), case, material_id, actor())
    response = send_file(io.BytesIO(data), mimetype=row.content_type, as_attachment=True,
                         download_name=row.filename, etag=row.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
