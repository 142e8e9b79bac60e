"""Portal pages anyone may read: the bundles, their guides, the situational guide and notice."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from engine.core.errors import InvalidInput
from engine.design import application_form, guides
from web.context import transaction
from web.ui import forms
from web.ui.i18n import _, lang
from web.ui.portal.blueprint import bp
from web.ui.portal.guides import all_guides, guide_of


@bp.get("/")
def bundles() -> str:
    """Every bundle in plain language: what it is for, how long it takes, how to apply."""
    with transaction() as session:
        found = all_guides(session)
    return render_template("portal/bundles.html", bundles=found)


@bp.get("/bundles/<key>")
def bundle(key: str) -> str:
    """One bundle's guide: items, conditions, materials, fees, channels, FAQ."""
    with transaction() as session:
        found = guide_of(session, key)
    return render_template("portal/bundle.html", b=found, g=found.guide)


@bp.get("/bundles/<key>/situation")
def situation(key: str) -> str:
    """The situational guide: the bundle's questions; with answers, the items that apply."""
    with transaction() as session:
        found = guide_of(session, key)
    schema = application_form.answers_schema(found.guide, lang())
    result = None
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    if request.args.get("asked"):
        data, problems = forms.read_form(schema, request.args)
        errors = forms.check(schema, data, problems)
        if not errors:
            try:
                result = guides.evaluate(found.files, data)
            except InvalidInput as exc:
                errors = forms.errors_from(exc)
    fields = forms.build_fields(schema, data, errors, lang())
    return render_template("portal/situation.html", b=found, g=found.guide, fields=fields,
                           errors=errors, result=result, answers=data)


@bp.get("/bundles/<key>/notice")
def notice(key: str) -> str:
    """The printable one-time notice (一次告知单) for the answers in the query string."""
    with transaction() as session:
        found = guide_of(session, key)
    schema = application_form.answers_schema(found.guide, lang())
    data, problems = forms.read_form(schema, request.args)
    errors = forms.check(schema, data, problems)
    if errors:
        raise InvalidInput("answer every question of the situational guide first")
    result = guides.evaluate(found.files, data)
    return render_template("portal/notice.html", b=found, g=found.guide, result=result,
                           answers=data, answer_text=_answer_text)


def _answer_text(question: guides.Question, value: Any) -> str:
    """An answer as the applicant chose it, in the page's language."""
    if question.type == "boolean":
        return _("yes") if value else _("no")
    for choice in question.choices:
        if choice.value == value:
            return choice.text.get(lang())
    return f"{value} {question.unit or ''}".strip()
