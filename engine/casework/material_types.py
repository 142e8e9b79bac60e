"""Which files a material may be: the extension must agree with the content's magic bytes."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from engine.core.errors import FieldError, InvalidInput

MAX_NAME = 255


@dataclass(frozen=True)
class FileKind:
    """One accepted kind of file: its name, media type and how its bytes begin."""

    name: str
    content_type: str
    magic: bytes
    # for zip containers: a member the package must hold (OFD, DOCX and XLSX are all zips)
    member: str | None = None


PDF = FileKind("PDF", "application/pdf", b"%PDF-")
PNG = FileKind("PNG", "image/png", b"\x89PNG\r\n\x1a\n")
JPEG = FileKind("JPEG", "image/jpeg", b"\xff\xd8\xff")
OFD = FileKind("OFD", "application/ofd", b"PK\x03\x04", "OFD.xml")
DOCX = FileKind("DOCX", "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document", b"PK\x03\x04", "word/document.xml")
XLSX = FileKind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                b"PK\x03\x04", "xl/workbook.xml")

BY_SUFFIX = {".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".ofd": OFD,
             ".docx": DOCX, ".xlsx": XLSX}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]')


def clean_filename(raw: str) -> str:
    """The last path part of RAW without control or reserved characters, at most 255 long."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        raise InvalidInput("the uploaded file has no name",
                           [FieldError("file", "needs a file name with its extension")])
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        keep = MAX_NAME - len(suffix) - 1
        name = f"{stem[:keep]}.{suffix}" if dot and keep > 0 else name[:MAX_NAME]
    return name


def _zip_members(data: bytes) -> set[str]:
    try:
        # reads only the central directory: nothing is decompressed
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()


def kind_of(filename: str, data: bytes) -> FileKind:
    """The accepted kind FILENAME claims and DATA proves; raise InvalidInput naming the file."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = BY_SUFFIX.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted(BY_SUFFIX))
        raise InvalidInput(f"'{filename}' is not an accepted kind of file (accepted: {allowed})",
                           [FieldError("file", f"must end with one of {allowed}")])
    matches = data.startswith(kind.magic)
    if matches and kind.member is not None:
        matches = kind.member in _zip_members(data)
    if not matches:
        raise InvalidInput(f"'{filename}' is not a {kind.name} file: its content does not "
                           f"match its extension", [FieldError("file", f"is not a {kind.name}")])
    return kind
