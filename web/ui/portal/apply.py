"""Apply once: the merged form of a bundle, saved as a draft until it is submitted."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from engine.casework import agency, drafts
from engine.core import clock
from engine.core.errors import Conflict, InvalidInput
from engine.design import application_form
from engine.models import ApplicationDraft, Office
from web.api.casework.drafts import DraftChange, NewDraft
from web.api.declare import read
from web.context import engine, transaction
from web.ui import engine_text, forms, guard
from web.ui.guard import APPLICANT_GROUPS
from web.ui.i18n import _, lang
from web.ui.portal.blueprint import bp
from web.ui.portal.guides import BundleGuide, guide_of

# office levels that accept applications (any of them, for any bundle: 全城通办)
ACCEPTING_LEVELS = ("center", "branch", "town", "bureau")


def accepting_offices(session: Session) -> list[tuple[str, str]]:
    """(code, name in the page's language) of every office that may accept a case."""
    rows = session.scalars(select(Office).where(Office.level.in_(ACCEPTING_LEVELS))
                           .order_by(Office.level, Office.code))
    order = {level: i for i, level in enumerate(("center", "branch", "town", "bureau"))}
    found = sorted(rows, key=lambda o: (order.get(o.level, 9), o.code))
    return [(o.code, (o.name_en or o.name_zh) if lang() == "en" else o.name_zh) for o in found]


def principals(session: Session, key: str) -> list[str]:
    """The applicants the signed-in agent may apply for in bundle KEY now."""
    who = guard.actor()
    now = clock.now()
    return sorted({g.principal for g in agency.mine(session, who)
                   if g.agent == who.username
                   and agency.refusal(g, "apply", None, key, now) is None})


def _render(found: BundleGuide, data: dict[str, Any], errors: dict[str, str], *,
            draft: ApplicationDraft | None, office: str | None, channel: str | None,
            on_behalf_of: str | None, status: int = 200) -> tuple[str, int]:
    with transaction() as session:
        offices = accepting_offices(session)
        agents_for = principals(session, found.key) if draft is None else []
    schema = application_form.application_schema(found.guide, lang())
    fields = forms.build_fields(schema, data, errors, lang())
    return render_template("portal/apply.html", b=found, g=found.guide, fields=fields,
                           errors=errors, draft=draft, offices=offices, office=office,
                           channel=channel, principals=agents_for,
                           on_behalf_of=on_behalf_of), status


def _prefill(found: BundleGuide) -> dict[str, Any]:
    """Answers carried over from the situational guide's query string."""
    schema = application_form.answers_schema(found.guide, lang())
    if not request.args.get("asked"):
        return {}
    answers, problems = forms.read_form(schema, request.args)
    return {"answers": answers} if not problems else {}


def _entered(key: str, data: dict[str, Any], draft_id: int | None) -> NewDraft | DraftChange:
    """The posted draft fields, read as the drafts API reads a new draft or a change."""
    fields = {"data": data, "office": request.form.get("office") or None,
              "channel": request.form.get("channel") or None}
    if draft_id is None:
        return read(NewDraft, {**fields, "bundle": key,
                               "on_behalf_of": request.form.get("on_behalf_of") or None}, "form")
    return read(DraftChange, {**fields, "version": request.form.get("version", type=int)},
                "form")


@bp.get("/bundles/<key>/apply")
@guard.group_required(*APPLICANT_GROUPS)
def apply(key: str) -> Response | tuple[str, int]:
    """The application form, empty, prefilled from the guide, or a saved draft (?draft=ID)."""
    with transaction() as session:
        found = guide_of(session, key)
        draft = None
        draft_id = request.args.get("draft", type=int)
        if draft_id is not None:
            draft = drafts.get_draft(session, draft_id, guard.actor())
    if draft is not None:
        if draft.bundle_key != key or draft.status != drafts.DRAFT:
            return redirect(url_for("portal.cases"))
        return _render(found, draft.data, {}, draft=draft, office=draft.office_code,
                       channel=draft.channel, on_behalf_of=None)
    return _render(found, _prefill(found), {}, draft=None, office=None, channel=None,
                   on_behalf_of=None)


@bp.post("/bundles/<key>/apply")
@guard.group_required(*APPLICANT_GROUPS)
def save(key: str) -> Response | tuple[str, int]:
    """Save the form as a draft; with action=submit, also check it and start the case."""
    who = guard.actor()
    with transaction() as session:
        found = guide_of(session, key)
    schema = application_form.application_schema(found.guide, lang())
    data, problems = forms.read_form(schema, request.form)
    draft_id = request.form.get("draft_id", type=int)
    entered = _entered(key, data, draft_id)
    office, channel = entered.office, entered.channel
    with transaction() as session:
        if isinstance(entered, NewDraft):
            draft = drafts.save_draft(session, who, key, data, office=office, channel=channel,
                                      on_behalf_of=entered.on_behalf_of)
        else:
            draft = drafts.save_draft(session, who, key, data, office=office, channel=channel,
                                      draft_id=draft_id, version=entered.version)
    if request.form.get("action") != "submit":
        flash(_("Your application is saved as a draft. You can come back to it any time."),
              "success")
        return redirect(url_for("portal.apply", key=key, draft=draft.id))
    errors = forms.check(schema, data, problems)
    if not office:
        errors["office"] = _("choose the office that accepts your case")
    if not channel:
        errors["channel"] = _("choose how you apply")
    if errors:
        return _render(found, data, errors, draft=draft, office=office, channel=channel,
                       on_behalf_of=None, status=422)
    try:
        with transaction() as session:
            case = drafts.submit_draft(engine(), session, draft.id, who, version=draft.version)
            number = case.number
    except InvalidInput as exc:
        with transaction() as session:
            draft = drafts.get_draft(session, draft.id, who)
        return _render(found, data, forms.errors_from(exc), draft=draft, office=office,
                       channel=channel, on_behalf_of=None, status=422)
    except Conflict as exc:
        flash(engine_text.say(exc), "error")
        return redirect(url_for("portal.cases"))
    flash(_("Your application was submitted as case %(number)s. Now hand in the materials.",
            number=number), "success")
    return redirect(url_for("portal.case", ref=number))


@bp.post("/drafts/<int:draft_id>/delete")
@guard.group_required(*APPLICANT_GROUPS)
def delete_draft(draft_id: int) -> Response:
    """Throw a draft away."""
    with transaction() as session:
        drafts.delete_draft(session, draft_id, guard.actor())
    flash(_("The draft was deleted."), "info")
    return redirect(url_for("portal.cases"))
