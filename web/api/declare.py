"""Each JSON API operation declared once, beside its route, with pydantic models.

``@operation(...)`` on a view names the operation, its request body and query string (as
pydantic models), its replies and the errors it may answer. The same declaration validates
the request (spectree runs the models; a refusal is 422 application/problem+json naming
every field, in the words of ``engine.core.errors.FieldError``) and documents it in
``/api/openapi.json``. Before the model sees a body, the body must be JSON (415 otherwise),
parse (400), nest no deeper than the engine stores, and hold no text a database cannot
keep. Replies are documented, not re-validated at run time: the contract test holds them
to the document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache, wraps
from typing import Annotated, Any, TypeVar, cast, get_type_hints

from flask import Flask, request
from flask import Response as FlaskResponse
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData
from spectree.plugins.flask_plugin import FlaskPlugin
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from engine.casework.forms import check_storable
from engine.core.errors import FieldError, InvalidInput

F = TypeVar("F", bound=Callable[..., Any])
PROBLEM_JSON = "application/problem+json"
MAX_DEPTH = 64  # far beyond any form; deeper data makes copies and serialisers recurse
MAX_OFFSET = 10**9
ERRORS = {
    "400": ("BadRequest", "Malformed request (for example a body that is not valid JSON)"),
    "401": ("Unauthorized", "No bearer token, or an unknown or revoked one"),
    "403": ("Forbidden", "The caller may not do this"),
    "404": ("NotFound", "No such object"),
    "409": ("Conflict", "The object is not in a state that allows this (already claimed, "
                        "already completed, changed meanwhile)"),
    "413": ("TooLarge", "The request body or an uploaded file is too large"),
    "415": ("UnsupportedMediaType", "The body is not JSON"),
    "422": ("InvalidInput", "Well-formed but invalid input; 'fields' or 'problems' say where"),
    "429": ("TooManyRequests", "Too many attempts; try again after the time it names"),
    "503": ("Unavailable", "The database does not answer, is busy or is not migrated"),
    "default": ("Unexpected", "An unexpected server error (500); the details are only logged"),
}


# what the path parameters of the API name, for the document
PATH_WORDS = {
    "case_ref": "case id or case number (LL-2026-000123)", "item_id": "work item (task) id",
    "deployment_id": "deployment id", "name": "file name", "key": "bundle key (restaurant)",
    "code": "code", "material_id": "material id", "authorization_id": "authorisation id",
    "draft_id": "draft id", "request_id": "cooperation request id",
    "comment_id": "comment id", "username": "user name", "token_id": "token id",
    "order_id": "supervision order id", "table": "figure table", "visit_id": "visit id",
    "appointment_id": "appointment id", "slot_id": "appointment slot id",
    "notification_id": "notification id", "follow_up_id": "follow-up id",
    "step": "follow-up step", "verb": "what to do", "ref": "cooperation request id",
}


class Body(BaseModel):
    """A request body: every field named by the model, anything else refused. JSON has
    types, so values must have theirs ("1" is no integer); a date or time field, which JSON
    carries as text, says ``Field(strict=False)``."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Query(BaseModel):
    """A query string: the parameters the model names (others are ignored, as browsers and
    proxies add their own)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class Exact(Query):
    """A query string whose unknown parameters are refused, where a misspelt filter
    (?yaer=2026) must be an error rather than no filter at all."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _month(value: str) -> str:
    if not MONTH.match(value):
        raise PydanticCustomError("month", "must be a month (YYYY-MM)")
    return value


MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# the pattern documents the check; the validator says it in the API's own words
Month = Annotated[str, AfterValidator(_month), Field(json_schema_extra={"pattern": MONTH.pattern})]


class Paged(Query):
    """A page of a list: its size and how many rows to skip."""

    limit: int = Field(50, ge=1, le=200, description="page size")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="rows to skip")


class Reply(BaseModel):
    """A reply: the fields it always has; a reply may carry more than it names."""

    model_config = ConfigDict(extra="allow")


class FieldProblem(BaseModel):
    """One field that is wrong."""

    path: str
    message: str


class DiagramProblem(BaseModel):
    """One problem in an uploaded diagram, where it is."""

    file: str
    line: int | None = None
    element: str | None = None
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, and where when the input was at fault."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "required": ["type", "title", "status", "detail"]})

    type: str
    title: str
    status: int
    detail: str
    fields: list[FieldProblem] | None = Field(None, description="each field that is wrong")
    problems: list[DiagramProblem] | None = Field(
        None, description="each problem in the diagrams")


# --- validation errors in the words the rest of the API uses ------------------------------

def _phrase(error: Mapping[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    words = {
        "missing": "is required", "extra_forbidden": "is not a known field",
        "string_type": "must be a string", "int_type": "must be an integer",
        "int_parsing": "must be an integer", "int_from_float": "must be an integer",
        "bool_type": "must be true or false", "bool_parsing": "must be true or false",
        "dict_type": "must be a JSON object", "list_type": "must be a JSON array",
        "float_type": "must be a number", "float_parsing": "must be a number",
        "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
        "date_parsing": "must be a date (YYYY-MM-DD)",
        "datetime_parsing": "must be a date and time (ISO 8601)",
        "datetime_from_date_parsing": "must be a date and time (ISO 8601)",
        "timezone_aware": "needs a time zone",
    }
    if kind in words:
        return words[kind]
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "must be a non-empty string" if least == 1 else \
            f"must have at least {least} characters"
    if kind == "string_too_long":
        return f"must have at most {ctx.get('max_length')} characters"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind in ("literal_error", "enum"):
        return f"must be one of {ctx.get('expected', '')}".replace("'", "")
    if kind in ("too_short", "too_long"):
        return str(error.get("msg", "has the wrong number of items")).lower()
    return str(error.get("msg", "is not valid"))


def field_errors(err: ValidationError) -> list[FieldError]:
    """One FieldError per problem pydantic found, with a slash path (a/b/0)."""
    found: list[FieldError] = []
    for error in err.errors(include_url=False):
        loc = [str(p) for p in error["loc"] if not str(p).startswith("function-")]
        found.append(FieldError("/".join(loc) or "(body)", _phrase(error)))
    return found


def refuse(err: ValidationError, where: str) -> InvalidInput:
    """The InvalidInput (422) that names every field ERR found wrong in WHERE."""
    fields = field_errors(err)
    return InvalidInput(f"the {where} has errors in: {', '.join(f.path for f in fields)}",
                        fields)


def _before(req: Any, resp: Any, err: Any, instance: Any, adapter: Any = None) -> None:
    if err is None:
        return
    where = "query string" if _is_query_error(err) else "request body"
    raise refuse(err, where)


def _is_query_error(err: ValidationError) -> bool:
    return err.title in _QUERY_MODELS


# --- the request body, before any model sees it --------------------------------------------

def nesting_depth(value: Any) -> int:
    """How deeply VALUE nests arrays and objects (without recursing itself)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def json_object(*, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object; OPTIONAL lets an empty body stand for {}."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if optional:
            return {}
        raise InvalidInput("the request needs a JSON object body")
    if not request.is_json:
        raise UnsupportedMediaType("send the body as JSON with Content-Type: application/json")
    try:
        body = request.get_json(force=True)
    except BadRequest:
        raise BadRequest("the request body is not valid JSON") from None
    except RecursionError:
        raise BadRequest("the request body nests JSON too deeply") from None
    if nesting_depth(body) > MAX_DEPTH:
        raise InvalidInput(f"the request body nests more than {MAX_DEPTH} levels deep")
    if not isinstance(body, dict):
        raise InvalidInput("the request body must be a JSON object",
                           [FieldError("(body)", "must be an object")])
    # text no database column can hold is refused here, whatever the route stores
    check_storable(body, "the request body")
    return body


B = TypeVar("B", bound=BaseModel)
_FORM = ConfigDict(strict=False, extra="ignore", str_strip_whitespace=True,
                   allow_inf_nan=False)


@cache
def _lax(model: type[BaseModel]) -> type[BaseModel]:
    """MODEL with the same fields, read as a form reads (the API's model stays strict)."""
    return cast(type[BaseModel], type(model.__name__, (model,), {
        "model_config": _FORM, "__module__": model.__module__, "__doc__": model.__doc__}))


def filled(values: Mapping[str, Any]) -> dict[str, Any]:
    """VALUES without blank text (or none at all), so a field left empty is left out."""
    return {k: v for k, v in values.items()
            if v is not None and not (isinstance(v, str) and not v.strip())}


def read_form(model: type[B], values: Mapping[str, Any]) -> B:
    """A page's form (or what a page gathered from it) read through the API's MODEL.

    A form carries only text and fields of its own (the CSRF token, the page's filters), so
    it is read laxly: "5" is an integer, "on" is true, other fields are ignored, text is
    trimmed and a blank field counts as left out (the model's default, or "is required").
    """
    return cast(B, read(_lax(model), filled(values), "form"))


def read(model: type[B], source: Mapping[str, Any], where: str = "request body") -> B:
    """SOURCE checked against MODEL, or a 422 naming every wrong field (pages use this too)."""
    try:
        return model.model_validate(dict(source))
    except ValidationError as err:
        raise refuse(err, where) from None


# --- declaring an operation ---------------------------------------------------------------

class _DocumentedReplies(FlaskPlugin):  # type: ignore[misc]
    """Spectree's Flask plugin, with replies documented but not validated at run time."""

    def validate_response(self, resp: Any, resp_model: Any, skip_validation: bool,
                          force_resp_serialize: bool) -> Any:
        if isinstance(resp, FlaskResponse):
            # a file or a stream goes out as the view built it: reading it here would spend
            # a passthrough body
            return resp, None
        return super().validate_response(resp, resp_model, True, force_resp_serialize)


spec = SpecTree(
    "flask", backend=_DocumentedReplies, mode="strict", path="apidoc",
    title="onething API", version="1", before=_before,
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _outer, inner: inner,
    description="Deploy 'one thing' bundles, run cases, work tasks. Errors are RFC 9457 "
                "application/problem+json.",
    security_schemes=[SecurityScheme(name="bearerAuth", data=SecuritySchemeData(
        type="http", scheme="bearer", bearer_format="ot_ token",
        description="create one with 'onething token create USERNAME'"))],
    security={"bearerAuth": []})

# what each view declared that the generated document needs beyond spectree's own
_EXTRA: dict[str, dict[str, Any]] = {}
_QUERY_MODELS: set[str] = set()


def operation(op_id: str, *, tag: str, body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None,
              ok: Mapping[int, type[Any] | None] | None = None, errors: Iterable[str] = (),
              optional_body: bool = False, public: bool = False,
              upload: Mapping[str, Any] | None = None,
              media: Mapping[int, Mapping[str, Any]] | None = None,
              descriptions: Mapping[int, str] | None = None) -> Callable[[F], F]:
    """Declare an operation: validate BODY and QUERY with their models, document OK replies
    (status -> model, None for no JSON body) and ERRORS (status codes as strings).

    UPLOAD is a multipart body (field name -> "file" or "files"), MEDIA replies that are not
    JSON (status -> media type -> schema); the view reads those itself.
    """
    replies = dict(ok or {200: None})
    codes = set(errors) | ({"400", "413", "415", "422"} if body is not None else set())
    if upload:
        codes |= {"400", "413", "422"}
    if query is not None:
        codes.add("422")
        _QUERY_MODELS.add(query.__name__)
    if not public:
        codes |= {"401", "429", "503"}

    def decorate(view: F) -> F:
        responses = {f"HTTP_{status}": model for status, model in replies.items()}
        responses |= {f"HTTP_{code}": Problem for code in sorted(codes)}

        @wraps(view)
        def with_defaults(*args: Any, **kwargs: Any) -> Any:
            # an optional body left empty (whatever its content type) is the model's defaults
            if body is not None and kwargs.get("json", ...) is None:
                kwargs["json"] = body.model_validate({})
            return view(*args, **kwargs)

        # spectree reads the view's annotations to pass `json` and `query`: resolve them in
        # the view's own module, not in this one
        with_defaults.__annotations__ = get_type_hints(view, include_extras=True)
        checked = spec.validate(json=body, query=query, resp=Response(**responses),
                                tags=[tag], operation_id=op_id,
                                security={} if public else None)(with_defaults)

        @wraps(checked)
        def run(*args: Any, **kwargs: Any) -> Any:
            if body is not None:
                json_object(optional=optional_body)
            return checked(*args, **kwargs)

        _EXTRA[op_id] = {"validates": "422" in codes, "optional_body": optional_body,
                         "upload": upload or {},
                         "media": dict(media or {}), "public": public,
                         "json_ok": [s for s, m in replies.items() if m is not None],
                         "descriptions": dict(descriptions or {})}
        run.__dict__["openapi_operation"] = op_id
        return run  # type: ignore[return-value]

    return decorate


# --- the document ----------------------------------------------------------------------------

def generated(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of APP's declared operations, in the house's conventions."""
    with app.app_context():
        spec.app = app
        if hasattr(spec, "_spec"):
            del spec._spec
        doc = copy.deepcopy(spec.spec)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("ValidationError", None)
    schemas.pop("ValidationErrorElement", None)
    doc["components"]["responses"] = {
        name: {"description": text, "content": {PROBLEM_JSON: {
            "schema": {"$ref": "#/components/schemas/Problem"}}}}
        for name, text in ERRORS.values()}
    for item in doc["paths"].values():
        for op in item.values():
            _house(op)
    doc["servers"] = [{"url": "/"}]
    doc.pop("tags", None)
    return doc


def _house(op: dict[str, Any]) -> None:
    """Problems as shared problem+json responses, the default 500, uploads, other media."""
    extra = _EXTRA.get(op.get("operationId", ""), {})
    responses = op.get("responses", {})
    for code in list(responses):
        if code in ERRORS:
            responses[code] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
        elif code.startswith("2") and int(code) not in extra.get("json_ok", []):
            responses[code] = {"description": responses[code].get("description", "Done")}
    for status, text in extra.get("descriptions", {}).items():
        if str(status) in responses and "$ref" not in responses[str(status)]:
            responses[str(status)]["description"] = text
    if not extra.get("validates", True):
        responses.pop("422", None)
    responses["default"] = {"$ref": "#/components/responses/Unexpected"}
    for status, content in extra.get("media", {}).items():
        target = responses.setdefault(str(status), {"description": "The content"})
        target["content"] = {**target.get("content", {}), **content}
    if extra.get("optional_body") and "requestBody" in op:
        op["requestBody"]["required"] = False
    elif "requestBody" in op:
        op["requestBody"]["required"] = True
    upload = extra.get("upload")
    if upload:
        properties: dict[str, Any] = {}
        for name, kind in upload.items():
            one = {"type": "string", "contentMediaType": "application/octet-stream"}
            properties[name] = {"type": "array", "items": one} if kind == "files" else \
                one if kind == "file" else kind
        required = [n for n, k in upload.items() if k in ("file", "files")]
        files = [n for n, k in upload.items() if k in ("file", "files")]
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": {"type": "object", "properties": properties, "required": required},
            "encoding": {n: {"contentType": "application/octet-stream"} for n in files}}}}
    if op.get("security") == [{}] or (extra.get("public") and "security" in op):
        op["security"] = []
    op.pop("description", None) if not op.get("description") else None
    for param in op.get("parameters", []):
        if param.get("in") == "path":
            param["required"] = True
            if not param.get("description"):
                param["description"] = PATH_WORDS.get(param["name"], param["name"])
