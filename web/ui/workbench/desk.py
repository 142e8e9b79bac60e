"""The acceptance desk (受理台): a window clerk starts a case for a walk-in applicant."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from werkzeug.exceptions import NotFound as HttpNotFound

from engine.core.errors import Conflict, InvalidInput
from engine.design import application_form
from engine.service import desk
from web.context import engine, transaction
from web.ui import forms
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
    for name in ("applicant", "applicant_user"):
        if not request.form.get(name, "").strip():
            errors[name] = forms.message("is required")
    if errors:
        return _desk(bundle, answers, errors, 422)
    applicant = desk.Applicant(name=request.form["applicant"],
                               username=request.form["applicant_user"].strip(),
                               new=request.form.get("new_applicant") == "true",
                               display_name=request.form.get("display_name", ""))
    try:
        with transaction() as session:
            started = desk.start_walk_in(engine(), session, actor(), bundle, answers,
                                         applicant, office=request.form.get("office") or None)
            number, office = started.case.number, started.case.office_code
    except InvalidInput as exc:
        return _desk(bundle, answers, forms.errors_from(exc), 422)
    except Conflict as exc:
        return _desk(bundle, answers, {"applicant_user": str(exc)}, 409)
    return render_template("workbench/desk_started.html", number=number, office=office,
                           applicant=started.applicant, password=started.password), 201
