"""JSON Schema forms as HTML: fields to render, posted values read back, errors per field.

Any page that shows a task or application form uses the same three steps::

    fields = build_fields(schema, data, errors, lang, ui_schema)   # render with _macros.html
    data, problems = read_form(schema, request.form)               # on POST
    errors = check(schema, data, problems)                         # {} when the data is valid

``build_fields`` understands object schemas with ``string`` (``format`` date, email,
``maxLength`` > 200 becomes a text area), ``integer``, ``number``, ``boolean``, ``enum`` or
``oneOf`` of ``const`` choices (a select, or radios with ui ``"ui:widget": "radio"``),
arrays of choices (check boxes) and nested objects (fieldsets). A UI schema may give
``ui:order``, and per field ``ui:widget`` (textarea, radio, hidden), ``ui:help`` and
``ui:placeholder``. Titles written as ``"中文 English"`` show the half of the page's
language. Field names of nested objects join with dots (``applicant.name``); error paths
are the engine's (``applicant/name``) and match fields through ``Field.path``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from engine.casework import forms as engine_forms
from engine.core.errors import FieldError, InvalidInput
from web.ui import engine_text, field_errors, i18n
from web.ui.bilingual import localize
from web.ui.i18n import _

LONG_TEXT = 200


@dataclass
class Option:
    """One choice of a select, radio group or check-box group."""

    value: str
    label: str


@dataclass
class Field:
    """One form control, ready for the ``field`` macro of _macros.html."""

    name: str
    path: str
    label: str
    widget: str
    required: bool = False
    help: str = ""
    placeholder: str = ""
    value: Any = None
    error: str | None = None
    options: list[Option] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Field] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The element id: f- and the name with dots as dashes."""
        return "f-" + self.name.replace(".", "-")

    def selected(self, value: str) -> bool:
        """Whether VALUE is chosen in this field (one value or a list)."""
        if isinstance(self.value, list):
            return value in [str(v) for v in self.value]
        return self.value is not None and str(self.value) == value


def _options(schema: Mapping[str, Any], lang: str) -> list[Option]:
    if isinstance(schema.get("oneOf"), list) and all(
            isinstance(c, Mapping) and "const" in c for c in schema["oneOf"]):
        return [Option(str(c["const"]), localize(str(c.get("title") or c["const"]), lang))
                for c in schema["oneOf"]]
    if isinstance(schema.get("enum"), list):
        names = schema.get("enumNames") or []
        return [Option(str(v), localize(str(names[i]) if i < len(names) else str(v), lang))
                for i, v in enumerate(schema["enum"])]
    return []


def _widget(schema: Mapping[str, Any], ui: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    wanted = ui.get("ui:widget")
    if wanted in ("textarea", "radio", "hidden"):
        return str(wanted)
    if kind == "object":
        return "fieldset"
    if kind == "array":
        return "checkboxes"
    if _options(schema, "zh"):
        return "select"
    if kind == "boolean":
        return "checkbox"
    if kind in ("integer", "number"):
        return str(kind)
    fmt = schema.get("format")
    if fmt in ("date", "email"):
        return str(fmt)
    if int(schema.get("maxLength") or 0) > LONG_TEXT:
        return "textarea"
    return "text"


def _attrs(schema: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, attr in (("minimum", "min"), ("maximum", "max"), ("minLength", "minlength"),
                      ("maxLength", "maxlength")):
        if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool):
            out[attr] = schema[key]
    if schema.get("type") == "number":
        out["step"] = "any"
    return out


def _order(schema: Mapping[str, Any], ui: Mapping[str, Any]) -> list[str]:
    names = list((schema.get("properties") or {}).keys())
    wanted = [n for n in ui.get("ui:order", []) if n in names]
    return wanted + [n for n in names if n not in wanted]


def build_fields(schema: Mapping[str, Any] | None, data: Mapping[str, Any] | None = None,
                 errors: Mapping[str, str] | None = None, lang: str = "zh",
                 ui_schema: Mapping[str, Any] | None = None, *, prefix: str = "") -> list[Field]:
    """The fields of an object SCHEMA with DATA filled in and ERRORS (by path) attached."""
    if not schema:
        return []
    data = data or {}
    errors = errors or {}
    ui_schema = ui_schema or {}
    required = set(schema.get("required") or [])
    out: list[Field] = []
    for name in _order(schema, ui_schema):
        prop = (schema.get("properties") or {})[name]
        if not isinstance(prop, Mapping):
            continue
        ui = ui_schema.get(name) or {}
        full = f"{prefix}{name}"
        path = full.replace(".", "/")
        widget = _widget(prop, ui)
        item = Field(name=full, path=path, label=localize(prop.get("title") or name, lang),
                     widget=widget, required=name in required,
                     help=localize(ui.get("ui:help") or prop.get("description"), lang),
                     placeholder=localize(ui.get("ui:placeholder"), lang),
                     value=data.get(name, prop.get("default")), error=errors.get(path),
                     attrs=_attrs(prop))
        if widget == "fieldset":
            nested = data.get(name) if isinstance(data.get(name), Mapping) else {}
            item.children = build_fields(prop, nested, errors, lang, ui, prefix=f"{full}.")
        elif widget == "checkboxes":
            item.options = _options(prop.get("items") or {}, lang)
        else:
            item.options = _options(prop, lang)
        out.append(item)
    return out


def _coerce(prop: Mapping[str, Any], raw: str) -> tuple[Any, str | None]:
    kind = prop.get("type")
    if kind == "integer":
        try:
            return int(raw), None
        except ValueError:
            return raw, _("must be a whole number")
    if kind == "number":
        try:
            number = float(raw)
        except ValueError:
            return raw, _("must be a number")
        return (int(number) if number.is_integer() else number), None
    return raw, None


def read_form(schema: Mapping[str, Any] | None, form: MultiDict[str, str], *,
              prefix: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON data a posted FORM gives for SCHEMA, and conversion problems by path.

    Empty text is left out (so ``required`` can name it); an unticked check box is false.
    """
    data: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if not schema:
        return data, problems
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping):
            continue
        full = f"{prefix}{name}"
        kind = prop.get("type")
        if kind == "object":
            nested, more = read_form(prop, form, prefix=f"{full}.")
            if nested:
                data[name] = nested
            problems.update(more)
        elif kind == "array":
            values = [v for v in form.getlist(full) if v != ""]
            if values or full in form:
                data[name] = values
        elif kind == "boolean":
            data[name] = form.get(full, "").lower() in ("on", "true", "1", "yes")
        else:
            raw = form.get(full, "").strip()
            if raw == "":
                continue
            value, problem = _coerce(prop, raw)
            data[name] = value
            if problem:
                problems[full.replace(".", "/")] = problem
    return data, problems


def message(text: str) -> str:
    """A translated message for the engine's most common per-field errors."""
    if text == "is required":
        return _("this field is required")
    return text


def field_message(problem: FieldError, lang: str | None = None) -> str:
    """What is wrong with one field, in the page's language, from the engine's error KIND
    and PARAMS (never the validator's English, nor a regular expression)."""
    lang = lang or i18n.lang()
    params = dict(problem.params)
    if isinstance(params.get("hint"), str):
        params["hint"] = localize(params["hint"], lang)
    return field_errors.say(problem.kind, params, problem.message, lang)


def check(schema: Mapping[str, Any] | None, data: dict[str, Any],
          problems: Mapping[str, str] | None = None) -> dict[str, str]:
    """Per-field errors of DATA against SCHEMA (conversion PROBLEMS first); {} when valid."""
    errors = dict(problems or {})
    try:
        engine_forms.validate(dict(schema) if schema is not None else None, data)
    except InvalidInput as exc:
        for problem in exc.fields:
            errors.setdefault(problem.path, field_message(problem))
        if not exc.fields:
            errors.setdefault("(form)", engine_text.say(exc))
    return errors


def errors_from(exc: InvalidInput) -> dict[str, str]:
    """The per-field errors an engine InvalidInput names, by field path."""
    found = {p.path.replace("data.", "", 1).replace(".", "/"): field_message(p)
             for p in exc.fields}
    return found or {"(form)": engine_text.say(exc)}
