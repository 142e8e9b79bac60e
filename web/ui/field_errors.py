"""What is wrong with a form field, said in the page's language.

The engine names each wrong field with the JSON Schema keyword it failed (its KIND:
required, minLength, pattern ...) and that keyword's parameters (the limit, the expected
type, the field's title and description). ``say`` turns those into a sentence from the
translation catalogue. It never shows the validator's English nor a regular expression:
a pattern error says the format is wrong and repeats the field's own description.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from web.ui.i18n import _

Saying = Callable[[Mapping[str, Any], str], str]


def _limit(params: Mapping[str, Any]) -> str:
    value = params.get("limit")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _type(params: Mapping[str, Any], lang: str) -> str:
    expected = params.get("expected")
    kinds = expected if isinstance(expected, list) else [expected]
    if "integer" in kinds:
        return _("must be a whole number")
    if "number" in kinds:
        return _("must be a number")
    if "boolean" in kinds:
        return _("must be yes or no")
    if "string" in kinds:
        return _("must be text")
    if "array" in kinds:
        return _("must be a list of choices")
    if "object" in kinds:
        return _("must be a group of fields")
    return _("has the wrong kind of value")


def _pattern(params: Mapping[str, Any], lang: str) -> str:
    hint = str(params.get("hint") or "")
    if hint:
        return _("is not in the right format: %(hint)s", hint=hint)
    return _("is not in the right format")


def _format(params: Mapping[str, Any], lang: str) -> str:
    fmt = params.get("format")
    if fmt == "date":
        return _("must be a date like 2026-12-01")
    if fmt == "date-time":
        return _("must be a date and time like 2026-12-01 09:30")
    if fmt == "email":
        return _("must be an e-mail address like name@example.com")
    return _pattern(params, lang)


def _const(params: Mapping[str, Any], lang: str) -> str:
    if params.get("value") is True:
        return _("must be ticked")
    return _("must be one of the offered choices")


def _min_length(params: Mapping[str, Any], lang: str) -> str:
    if _limit(params) == "1":
        return _("must not be empty")
    return _("must be at least %(limit)s characters long", limit=_limit(params))


def _extra(params: Mapping[str, Any], lang: str) -> str:
    names = params.get("names") or []
    return _("this form does not take the field(s) %(names)s",
             names=", ".join(str(n) for n in names))


_SAYINGS: dict[str, Saying] = {
    "required": lambda p, lang: _("this field is required"),
    "type": _type,
    "minLength": _min_length,
    "maxLength": lambda p, lang: _("must be at most %(limit)s characters long",
                                   limit=_limit(p)),
    "pattern": _pattern,
    "format": _format,
    "enum": lambda p, lang: _("must be one of the offered choices"),
    "oneOf": lambda p, lang: _("must be one of the offered choices"),
    "anyOf": lambda p, lang: _("must be one of the offered choices"),
    "const": _const,
    "minimum": lambda p, lang: _("must be at least %(limit)s", limit=_limit(p)),
    "maximum": lambda p, lang: _("must be at most %(limit)s", limit=_limit(p)),
    "exclusiveMinimum": lambda p, lang: _("must be more than %(limit)s", limit=_limit(p)),
    "exclusiveMaximum": lambda p, lang: _("must be less than %(limit)s", limit=_limit(p)),
    "multipleOf": lambda p, lang: _("must be a multiple of %(limit)s", limit=_limit(p)),
    "minItems": lambda p, lang: _("choose at least %(limit)s", limit=_limit(p)),
    "maxItems": lambda p, lang: _("choose at most %(limit)s", limit=_limit(p)),
    "uniqueItems": lambda p, lang: _("must not list the same choice twice"),
    "additionalProperties": _extra,
    "unstorable": lambda p, lang: _("holds a character that cannot be stored"),
    "finite": lambda p, lang: _("must be a finite number"),
}


def say(kind: str | None, params: Mapping[str, Any], english: str, lang: str) -> str:
    """The sentence for a field error of KIND with PARAMS in LANG (a "hint" already in
    LANG); ENGLISH (the engine's own text) only on an English page when the kind is
    unknown."""
    saying = _SAYINGS.get(kind or "")
    if saying is not None:
        return saying(params, lang)
    if english == "is required":
        return _("this field is required")
    if lang == "en" and english:
        return english
    return _("is not valid")
