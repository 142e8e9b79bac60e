"""A bundle's plain-language guide, its situational questions and the one-time notice."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint

from engine.core.errors import NotFound
from engine.design import deployments, guides
from web.api.validation import Fields, json_object
from web.context import engine, transaction

bp = Blueprint("guides", __name__)


def _bundle_files(key: str) -> dict[str, bytes]:
    with transaction() as session:
        dep, _process = deployments.find_start(session, key)
        files = dict(engine().specs.get(session, dep.id).files)
    if guides.GUIDE_FILE not in files:
        raise NotFound(f"bundle '{key}' has no guide")
    return files


@bp.get("/bundles/<key>/guide")
def guide(key: str) -> dict[str, Any]:
    """The bundle's guide: items, merged materials, fees, channels, FAQ and questions."""
    return dataclasses.asdict(guides.load_guide(_bundle_files(key)))


@bp.post("/bundles/<key>/situation")
def situation(key: str) -> dict[str, Any]:
    """Answer the situational questions: the items that apply, their materials, the notice."""
    body = Fields(json_object())
    answers = body.mapping("answers", required=True)
    lang = body.text("lang", choices=("zh", "en")) or "zh"
    body.done()
    files = _bundle_files(key)
    found = guides.evaluate(files, answers or {})
    notice = guides.one_time_notice(guides.load_guide(files), found, lang)
    out = dataclasses.asdict(found)
    out["notice"] = notice
    return out

