"""Application drafts: the merged form of a bundle saved as it is filled in, then submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import Blueprint, request
from flask.views import MethodView
from pydantic import Field

from engine.casework import cases, drafts
from web.api.casework.shapes import Case
from web.api.declare import Body, Reply, operation
from web.context import actor, engine, transaction
from web.refs import MAX_ID

bp = Blueprint("drafts", __name__, url_prefix="/drafts")

# larger ids cannot exist and would overflow the database driver: route them to 404
DRAFT_ID = "int:draft_id"


class DraftFields(Body):
    """What a draft holds: the application form's data, where and how it is handed in."""

    data: dict[str, Any] | None = Field(None, description="the application form's fields")
    office: str | None = Field(None, description="code of the accepting office")
    channel: str | None = Field(None, description="how the application is handed in")


class NewDraft(DraftFields):
    bundle: str = Field(min_length=1, description="bundle key")
    on_behalf_of: str | None = Field(
        None, description="the principal an agent writes for (needs scope 'apply')")


class DraftChange(DraftFields):
    version: int | None = Field(None, ge=1, le=MAX_ID,
                                description="the version last read; another one is a 409")


class SubmitDraft(Body):
    version: int | None = Field(None, ge=1, le=MAX_ID,
                                description="the version last read; another one is a 409")


class Draft(Reply):
    """An application draft of a bundle."""

    id: int
    bundle: str
    owner: str
    created_by: str
    data: dict[str, Any]
    office: str | None = None
    channel: str | None = None
    status: Literal["draft", "submitted"]
    case_id: int | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class DraftList(Reply):
    items: list[Draft]


@bp.get("")
@operation("listDrafts", tag="drafts", ok={200: DraftList})
def index() -> dict[str, Any]:
    """The caller's unsubmitted application drafts."""
    with transaction() as session:
        return {"items": [drafts.as_dict(d) for d in drafts.list_drafts(session, actor())]}


@bp.post("")
@operation("createDraft", tag="drafts", body=NewDraft, ok={201: Draft}, errors=("403", "404"))
def create(json: NewDraft) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Start an application draft of a bundle."""
    with transaction() as session:
        drafts.guide_of_bundle(engine(), session, json.bundle)
        draft = drafts.save_draft(session, actor(), json.bundle, json.data or {},
                                  office=json.office, channel=json.channel,
                                  on_behalf_of=json.on_behalf_of)
        out = drafts.as_dict(draft)
    return out, 201, {"Location": f"{request.path}/{out['id']}"}


# one route for the three methods: with a route per method, werkzeug answers an id too
# large for a row 405 (the other methods' routes matched) rather than 404
class OneDraft(MethodView):
    """One draft of the caller's: read it, save it, throw it away."""

    @operation("getDraft", tag="drafts", ok={200: Draft}, errors=("404",))
    def get(self, draft_id: int) -> dict[str, Any]:
        """One draft."""
        with transaction() as session:
            return drafts.as_dict(drafts.get_draft(session, draft_id, actor()))

    @operation("updateDraft", tag="drafts", body=DraftChange, ok={200: Draft},
               errors=("404", "409"))
    def put(self, draft_id: int, json: DraftChange) -> dict[str, Any]:
        """Save a draft's data, office and channel."""
        with transaction() as session:
            draft = drafts.get_draft(session, draft_id, actor())
            draft = drafts.save_draft(session, actor(), draft.bundle_key, json.data or {},
                                      office=json.office, channel=json.channel,
                                      draft_id=draft_id, version=json.version)
            return drafts.as_dict(draft)

    @operation("deleteDraft", tag="drafts", ok={204: None}, errors=("404", "409"),
               descriptions={204: "Deleted"})
    def delete(self, draft_id: int) -> tuple[str, int]:
        """Throw a draft away."""
        with transaction() as session:
            drafts.delete_draft(session, draft_id, actor())
        return "", 204


bp.add_url_rule(f"/<{DRAFT_ID}>", view_func=OneDraft.as_view("draft"))


@bp.post(f"/<{DRAFT_ID}>/submit")
@operation("submitDraft", tag="drafts", body=SubmitDraft, optional_body=True, ok={201: Case},
           errors=("403", "404", "409"))
def submit(draft_id: int, json: SubmitDraft) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Submit a complete draft: the case starts."""
    # an empty body sent as a form reaches the view as None, not a model (spectree reads
    # JSON only from a JSON request): it means what an empty JSON object means
    version = json.version if json is not None else None
    with transaction() as session:
        case = drafts.submit_draft(engine(), session, draft_id, actor(), version=version)
        out = cases.as_dict(session, case, full=True)
    return out, 201, {"Location": f"/api/v1/cases/{out['id']}"}
