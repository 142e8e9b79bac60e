"""A restaurant case as the pages' tests start one: staff posted to their offices, and ann
applying online at Tieying through the portal form."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.core.db import unit_of_work
from engine.models import Case
from engine.org import users
from engine.org.offices import get_office
from engine.org.offices.members import set_postings
from tests.casework.pages.test_portal import application
from tests.ui.conftest import PASSWORD, csrf_of, sign_in
from web.context import onething


def post_staff(app: Flask, staff: dict[str, tuple[str, str]]) -> None:
    """Add each username of STAFF, posted resident to its (office, role)."""
    with unit_of_work(onething(app).factory) as session:
        for name, (office, role) in staff.items():
            user = users.add_user(session, name, PASSWORD)
            set_postings(session, user, [(get_office(session, office), role, "resident")])


def ann_applies(app: Flask, client: FlaskClient, person: Callable[..., str]) -> str:
    """Ann sends a complete restaurant application from the portal; the case number."""
    person("ann", "applicant")
    sign_in(client, "ann")
    response = client.post("/portal/bundles/restaurant/apply", data=application(
        csrf_of(client, "/portal/bundles/restaurant/apply"), action="submit"))
    assert response.status_code == 302, response.get_data(as_text=True)
    with unit_of_work(onething(app).factory) as session:
        return str(session.scalars(select(Case.number)).one())
