"""The designer studio pages (/studio): bundles and versions, the diagram viewer, the
modeler that saves a new version, file uploads, version comparison and the heat view.

The modeler and heat pages draw with bpmn-js and talk to the studio API with the session
cookie and the CSRF header (static/js/modeler.js); every page here only reads.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from engine.core.errors import DiagramInvalid, InvalidInput, OnethingError
from engine.design import heat, studio, version_diff
from web.context import transaction
from web.ui import engine_text
from web.ui.guard import actor, group_required

bp = Blueprint("studio_ui", __name__, url_prefix="/studio")

DEPLOYMENT_ID = "int:deployment_id"


@bp.get("")
@group_required("designer")
def index() -> str:
    """Bundles with their versions, running cases and the upload and compare forms."""
    with transaction() as session:
        bundles = studio.list_bundles(session)
    return render_template("studio/index.html", bundles=bundles)


@bp.get(f"/versions/<{DEPLOYMENT_ID}>")
@group_required("designer")
def version(deployment_id: int) -> str:
    """One version: its diagram (viewer), files and case counts."""
    with transaction() as session:
        details = studio.version_details(session, deployment_id)
    name = request.args.get("file") or details["diagram"]
    if name not in details["files"]:
        name = details["diagram"]
    return render_template("studio/version.html", v=details, file=name)


@bp.get(f"/versions/<{DEPLOYMENT_ID}>/edit")
@group_required("designer")
def edit(deployment_id: int) -> str:
    """The bpmn-js modeler on one diagram of a version; saving deploys the next version."""
    with transaction() as session:
        details = studio.version_details(session, deployment_id)
    name = request.args.get("file") or details["diagram"]
    if name not in details["files"] or not studio.is_bpmn(name or ""):
        raise InvalidInput(_("Only BPMN diagrams can be edited here."))
    return render_template("studio/edit.html", v=details, file=name)


@bp.get(f"/versions/<{DEPLOYMENT_ID}>/heat")
@group_required("designer")
def heat_view(deployment_id: int) -> str:
    """Cases at each element now and the average time there, on the diagram and as a table."""
    with transaction() as session:
        details = studio.version_details(session, deployment_id)
        found = heat.heat(session, deployment_id)
    return render_template("studio/heat.html", v=details, heat=found)


@bp.get("/diff")
@group_required("designer")
def diff() -> str:
    """Compare two versions of a bundle."""
    try:
        old, new = int(request.args.get("from", "")), int(request.args.get("to", ""))
    except ValueError:
        raise InvalidInput(_("Choose two versions to compare.")) from None
    with transaction() as session:
        result = version_diff.compare(studio.get_version(session, old),
                                      studio.get_version(session, new))
    return render_template("studio/diff.html", diff=result)


@bp.post("/bundles/<key>/upload")
@group_required("designer")
def upload(key: str) -> Response:
    """Add or replace files in a bundle from the upload form, then deploy."""
    files: dict[str, bytes] = {}
    for item in request.files.getlist("files"):
        name = (item.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        if name:
            files[name] = item.read()
    try:
        with transaction() as session:
            result = studio.add_files(session, key, files, actor=actor())
            number = result.deployment.version
    except DiagramInvalid as err:
        flash(_("Not deployed: %(count)s problem(s).", count=len(err.problems)), "error")
        for problem in err.problems[:20]:
            flash(str(problem), "error")
        return redirect(url_for(".index"))
    except OnethingError as err:
        if err.status == 403:
            raise
        flash(engine_text.say(err), "error")
        return redirect(url_for(".index"))
    for warning in result.warnings[:20]:
        flash(_("Warning: %(problem)s", problem=str(warning)), "warning")
    if result.created:
        flash(_("Deployed %(bundle)s version %(version)s.", bundle=key, version=number),
              "success")
    else:
        flash(_("Nothing changed: the files are the same as version %(version)s.",
                version=number), "info")
    return redirect(url_for(".index"))
