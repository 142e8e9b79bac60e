"""A bundle's plain-language guide, its situational questions and the one-time notice."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from flask import Blueprint
from pydantic import Field

from engine.core.errors import NotFound
from engine.design import deployments, guides
from web.api.declare import Body, Reply, operation
from web.context import engine, transaction

bp = Blueprint("guides", __name__)


class SituationAnswers(Body):
    answers: dict[str, Any] = Field(description="each situational question's id: its answer")
    lang: Literal["zh", "en"] = Field("zh", description="the language of the notice")


class GuideText(Reply):
    """A text in Chinese (primary) and English."""

    zh: str
    en: str


class GuideFee(Reply):
    amount: float = Field(description="yuan")
    text: GuideText


class GuideItem(Reply):
    """One catalogue item (事项) the bundle handles."""

    code: str
    name: GuideText
    department: GuideText
    candidate_group: str
    commitment_days: float
    statutory_days: float
    fee: GuideFee


class GuideMaterial(Reply):
    id: str
    name: GuideText
    key: bool
    items: list[str] = Field(description="codes of the items that need it")
    situational: bool = Field(description="only some answers call for it")


class GuideChannel(Reply):
    id: str
    name: GuideText
    detail: GuideText


class GuideFaq(Reply):
    question: GuideText
    answer: GuideText


class GuideChoice(Reply):
    value: str
    text: GuideText


class GuideQuestion(Reply):
    id: str
    text: GuideText
    type: str = Field(description="boolean, number or choice")
    choices: list[GuideChoice] = []
    unit: str | None = None


class Guide(Reply):
    """A bundle's plain-language guide, as its guide.yaml says."""

    key: str
    process: str
    title: GuideText
    summary: GuideText
    audience: GuideText
    conditions: list[GuideText]
    commitment_days: float
    statutory_days: float
    items: list[GuideItem]
    materials: list[GuideMaterial]
    fees: GuideText
    channels: list[GuideChannel]
    faq: list[GuideFaq]
    questions: list[GuideQuestion]
    decision_file: str
    decision_id: str | None = None


class Situation(Reply):
    """What the answers make of the bundle: its items, their materials and the notice."""

    answers: dict[str, Any]
    items: list[str] = Field(description="codes of the items that apply")
    modes: dict[str, str] = Field(description="item code: how it is handled")
    extra_materials: list[str]
    services: list[str]
    materials: list[GuideMaterial]
    notice: str = Field(description="the one-time notice (一次告知单), Markdown")


def _bundle_files(key: str) -> dict[str, bytes]:
    with transaction() as session:
        dep, _process = deployments.find_start(session, key)
        files = dict(engine().specs.get(session, dep.id).files)
    if guides.GUIDE_FILE not in files:
        raise NotFound(f"bundle '{key}' has no guide")
    return files


@bp.get("/bundles/<key>/guide")
@operation("getGuide", tag="guides", ok={200: Guide}, errors=("404",))
def guide(key: str) -> dict[str, Any]:
    """A bundle's guide: items, materials, fees, channels, FAQ, situational questions."""
    return dataclasses.asdict(guides.load_guide(_bundle_files(key)))


@bp.post("/bundles/<key>/situation")
@operation("evaluateSituation", tag="guides", body=SituationAnswers, ok={200: Situation},
           errors=("404",))
def situation(key: str, json: SituationAnswers) -> dict[str, Any]:
    """Answer the situational questions: the items that apply, their materials and the
    one-time notice (一次告知单)."""
    files = _bundle_files(key)
    found = guides.evaluate(files, json.answers)
    notice = guides.one_time_notice(guides.load_guide(files), found, json.lang)
    out = dataclasses.asdict(found)
    out["notice"] = notice
    return out
