"""An engine refusal in the page's language.

Errors raised with ``OnethingError.of`` carry an English template (the catalogue's msgid,
with ``%(name)s`` places) and its parameters; ``say`` translates the template and fills
it in, naming the codes among the parameters (an office, a bundle, a group, a status) the
way web.ui.names does. An error raised with a plain English sentence is translated when
the catalogue holds that very sentence; otherwise a Chinese page gets a general sentence
for the error's status instead (the English stays in the log and in the API's answer).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from engine.core.errors import OnethingError
from web.ui import names
from web.ui.bilingual import localize
from web.ui.i18n import _, lang

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u9fff]")

# parameters that hold codes, and how a page names each
_NAMERS: dict[str, Callable[[str], str]] = {
    "office": names.office_name, "bundle": names.bundle_name, "group": names.group_name,
    "status": names.status_name, "department": names.department_name,
    "role": names.role_name,
}


def named(params: Mapping[str, Any]) -> dict[str, Any]:
    """PARAMS with the codes among them replaced by their names in the page's language."""
    out = dict(params)
    if isinstance(out.get("title"), str):
        out["title"] = localize(out["title"], lang())
    for key, namer in _NAMERS.items():
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = namer(value)
    return out


def _general(status: int) -> str:
    return {400: _("The request could not be handled."),
            401: _("Please sign in first."),
            403: _("You may not do this."),
            404: _("It was not found; it may have been removed."),
            409: _("This can no longer be done: the case or task has changed meanwhile."),
            413: _("What you sent is larger than this service accepts."),
            422: _("Some input is not right; check the form and try again."),
            429: _("Too many attempts; please wait a little and try again.")}.get(
        status, _("The request could not be handled."))


def say(err: Exception) -> str:
    """ERR's message in the page's language (a general sentence for an error that is no
    engine refusal)."""
    if not isinstance(err, OnethingError):
        return _general(400)
    if err.text:
        return _(err.text, **named(err.params))
    translated = _(err.message)
    if translated != err.message or lang() == "en" or _CJK.search(err.message):
        return translated
    log.info("untranslated refusal (%s): %s", err.status, err.message)
    return _general(err.status)
