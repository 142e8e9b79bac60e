"""The acceptance desk (受理台): a window clerk starts a case for a walk-in applicant."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from werkzeug.exceptions import NotFound as HttpNotFound

from engine.core.errors import Conflict, InvalidInput
from engine.design import application_form
from engine.service import desk
from web.api.casework.inbox import WalkIn
from web.api.declare import read
from web.context import engine, transaction
from web.ui import engine_text, forms
from web.ui.guard import actor, group_required
from web.ui.i18n import lang
from web.ui.workbench.blueprint import bp

APPLICANT_FIELDS = ("applicant", "applicant_user", "display_name")


def _desk(bundle: str | None, answers: dict[str, Any], errors: dict[str, str],
          status: int = 200) -> tuple[str, int]:
    with transaction() as session:
        offices = desk.clerk_offices(session, actor())
        keys = desk.bundle_keys(session)
        guide = desk.latest_guide(engine(), session, bundle) if bundle else None
    if bundle and bundle not in keys:
        raise HttpNotFound(f"no deployed bundle '{bundle}'")
    schema = application_form.answers_schema(guide, lang()) if guide else None
    fields = forms.build_fields(schema, answers, errors, lang()) if schema else []
    return render_template("workbench/desk.html", bundles=keys, bundle=bundle, guide=guide,
                           fields=fields, errors=errors, offices=offices,
                           form=request.form), status


def _walk_in(answers: dict[str, Any]) -> WalkIn:
    """The posted form as the walk-in the API starts (InvalidInput naming what is wrong)."""
    fields: dict[str, Any] = {"answers": answers,
                              "new_applicant": request.form.get("new_applicant") == "true",
                              "display_name": request.form.get("display_name", ""),
                              "office": request.form.get("office") or None}
    # a blank field is left out, so that it is "required" (which the page translates)
    fields |= {name: request.form[name] for name in ("bundle", "applicant", "applicant_user")
               if request.form.get(name, "").strip()}
    return read(WalkIn, fields, "form")


@bp.get("/desk")
@group_required("window_clerk")
def desk_page() -> tuple[str, int]:
    """Pick the bundle, answer the questions, enter the applicant."""
    return _desk(request.args.get("bundle") or None, {}, {})


@bp.post("/desk")
@group_required("window_clerk")
def desk_start() -> tuple[str, int]:
    """Start the case at the clerk's office, channel window; show a new password once."""
    bundle = request.form.get("bundle", "")
    with transaction() as session:
        guide = desk.latest_guide(engine(), session, bundle)
    schema = application_form.answers_schema(guide, lang()) if guide else None
    answers, problems = forms.read_form(schema, request.form)
    errors = forms.check(schema, answers, problems) if schema else {}
    walk_in: WalkIn | None = None
    try:
        walk_in = _walk_in(answers)
    except InvalidInput as exc:
        for name, text in forms.errors_from(exc).items():
            errors.setdefault(name, text)
    if errors or walk_in is None:
        return _desk(bundle, answers, errors, 422)
    applicant = desk.Applicant(name=walk_in.applicant, username=walk_in.applicant_user.strip(),
                               new=walk_in.new_applicant, display_name=walk_in.display_name)
    try:
        with transaction() as session:
            started = desk.start_walk_in(engine(), session, actor(), walk_in.bundle, answers,
                                         applicant, office=walk_in.office)
            number, office = started.case.number, started.case.office_code
    except InvalidInput as exc:
        return _desk(bundle, answers, forms.errors_from(exc), 422)
    except Conflict as exc:
        return _desk(bundle, answers, {"applicant_user": engine_text.say(exc)}, 409)
    return render_template("workbench/desk_started.html", number=number, office=office,
                           applicant=started.applicant, password=started.password), 201
