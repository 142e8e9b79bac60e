"""What a material upload may be, said before anyone uploads: the size limit and the kinds.

The limit is the configured one: the smaller of the material limit (``MATERIALS_MAX_BYTES``)
and the request limit (``MAX_CONTENT_LENGTH``); the kinds are the engine's accepted file
kinds (engine.casework.material_types). Pages show ``hint()`` beside each upload widget and
hand the limit and the refusal texts to web/static/js/upload.js, which refuses an oversized
file or a wrong kind before sending it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from engine.casework.material_types import BY_SUFFIX
from web.ui.i18n import _, lang

MB = 1024 * 1024


def megabytes(size: int) -> str:
    """SIZE in bytes as megabytes, without a fraction when whole ("25", "2.5")."""
    value = size / MB
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def material_bytes() -> int:
    """The most one material may weigh on this server."""
    limits = [int(v) for v in (current_app.config.get("MATERIALS_MAX_BYTES"),
                               current_app.config.get("MAX_CONTENT_LENGTH")) if v]
    return min(limits) if limits else 0


def kinds() -> list[str]:
    """The accepted kinds by name, in the engine's order (JPG for JPEG)."""
    out: list[str] = []
    for kind in BY_SUFFIX.values():
        name = "JPG" if kind.name == "JPEG" else kind.name
        if name not in out:
            out.append(name)
    return out


def accept() -> str:
    """The value of an <input type=file> accept attribute for materials."""
    return ",".join(BY_SUFFIX)


def hint() -> str:
    """"One file of at most 10 MB; formats: PDF, JPG ..." in the page's language."""
    joined = (", " if lang() == "en" else "、").join(kinds())
    size = material_bytes()
    if not size:
        return _("Formats: %(kinds)s", kinds=joined)
    return _("One file of at most %(mb)s MB; formats: %(kinds)s", mb=megabytes(size),
             kinds=joined)


def too_large_text() -> str:
    """Why a request over the server's limit was refused, with the limit in MB."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if not limit:
        return _("What you sent is larger than this service accepts.")
    return _("What you sent is larger than this service accepts: at most %(mb)s MB at a "
             "time.", mb=megabytes(int(limit)))


def widget() -> dict[str, Any]:
    """What an upload widget needs: the hint, the accept list, the limit and the texts the
    script says when it refuses a file before sending it."""
    size = material_bytes()
    joined = (", " if lang() == "en" else "、").join(kinds())
    return {
        "hint": hint(), "accept": accept(), "max_bytes": size,
        "too_large": _("This file is larger than %(mb)s MB; choose a smaller one.",
                       mb=megabytes(size)) if size else "",
        "wrong_kind": _("This kind of file is not accepted; formats: %(kinds)s",
                        kinds=joined),
        "empty": _("This file is empty; choose another one."),
        "forbidden": _("You may not hand in materials for this case."),
        "ended": _("This case has ended; it takes no more materials."),
        "failed": _("The upload failed; please try again later."),
    }


def init(app: Flask) -> None:
    """Offer ``upload_widget()`` to every template."""
    app.add_template_global(widget, "upload_widget")
