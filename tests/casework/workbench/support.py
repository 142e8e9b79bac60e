"""A small county for the workbench tests: offices, staff with postings, bearer tokens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from engine.casework import cases
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.models import AuditEvent, Office, WorkItem
from engine.org import users
from engine.org.offices.members import set_postings
from web.app import create_app
from web.cli import main
from web.context import onething

BUNDLES = Path(__file__).resolve().parents[3] / "bpmn" / "bundles"
ANSWERS = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}
OFFICES = {"branch_tieying": "branch", "branch_yangan": "branch", "dept_market": "department",
           "dept_fire": "department"}
# username: (office, role) postings
STAFF = {
    "clerk_ty": [("branch_tieying", "window_clerk")],
    "clerk_ty2": [("branch_tieying", "window_clerk")],
    "clerk_ya": [("branch_yangan", "window_clerk")],
    "rev_market": [("dept_market", "reviewer")],
    "rev_market2": [("dept_market", "reviewer")],
    "rev_fire": [("dept_fire", "reviewer")],
    "boss": [("branch_tieying", "supervisor")],
}
# the people who sign in to pages (hashing a password is slow on purpose: only these)
PASSWORD = "secret-pass"
SIGNS_IN = ("clerk_ty", "clerk_ya", "rev_market")


class County:
    """The restaurant bundle, offices, staff and the applicant, with an API client."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.factory = onething(app).factory
        self.tokens: dict[str, dict[str, str]] = {}

    def setup(self) -> County:
        with unit_of_work(self.factory) as s:
            deployments.deploy(s, deployments.read_paths([BUNDLES / "restaurant"]),
                               actor=Actor("designer", is_admin=True), bundle_key="restaurant")
            offices = {}
            for code, level in OFFICES.items():
                offices[code] = Office(code=code, name_zh=code, name_en=code, level=level)
                s.add(offices[code])
            s.flush()
            for name, posts in STAFF.items():
                user = users.add_user(s, name, PASSWORD if name in SIGNS_IN else None)
                set_postings(s, user, [(offices[o], role, "resident") for o, role in posts])
            users.add_user(s, "applicant_ent", groups=["applicant"])
            users.add_user(s, "supervisor", groups=["supervisor"])
        for name in [*STAFF, "applicant_ent", "supervisor"]:
            self.tokens[name] = self.token(name)
        return self

    def token(self, username: str) -> dict[str, str]:
        with unit_of_work(self.factory) as s:
            return {"Authorization": f"Bearer {users.create_token(s, username, 'tests')}"}

    def api(self, who: str, method: str, path: str, **kw: Any) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, headers=self.tokens[who], **kw)

    def walk_in(self, clerk: str, name: str = "铁营面馆", answers: dict[str, Any] | None = None,
                ) -> dict[str, Any]:
        """Start a restaurant case at CLERK's window for applicant_ent."""
        response = self.api(clerk, "POST", "/desk/cases", json={
            "bundle": "restaurant", "answers": answers or ANSWERS, "applicant": name,
            "applicant_user": "applicant_ent"})
        assert response.status_code == 201, response.get_data(as_text=True)
        case: dict[str, Any] = response.get_json()["case"]
        return case

    def open_items(self, case_id: int, element: str | None = None) -> list[WorkItem]:
        with unit_of_work(self.factory, read_only=True) as s:
            query = select(WorkItem).where(WorkItem.case_id == case_id, WorkItem.state == "open")
            if element:
                query = query.where(WorkItem.element_id == element)
            return list(s.scalars(query.order_by(WorkItem.created_at, WorkItem.id)))

    def task(self, case_id: int, element: str) -> str:
        """The id of the one open task ELEMENT of the case."""
        found = self.open_items(case_id, element)
        assert len(found) == 1, [w.element_id for w in self.open_items(case_id)]
        return found[0].id

    def accept(self, case_id: int, clerk: str = "clerk_ty") -> None:
        """Have the window accept the case, so the departments review."""
        response = self.api(clerk, "POST", f"/tasks/{self.task(case_id, 'accept')}/complete",
                            json={"data": {"outcome": "accept"}})
        assert response.status_code == 200, response.get_data(as_text=True)

    def status(self, case_id: int) -> str:
        with unit_of_work(self.factory, read_only=True) as s:
            return cases.get_case(s, case_id).status

    def actions(self, case_id: int) -> list[str]:
        with unit_of_work(self.factory, read_only=True) as s:
            return list(s.scalars(select(AuditEvent.action).where(AuditEvent.case_id == case_id)
                                  .order_by(AuditEvent.id)))


@contextmanager
def migrated_county(folder: Path) -> Iterator[tuple[County, str]]:
    """A County on a database `onething db upgrade` made (not create_all), and its URL."""
    url = f"sqlite:///{folder / 'old.db'}"
    assert CliRunner().invoke(main, ["--database-url", url, "db", "upgrade"]).exit_code == 0
    app = create_app({"DATABASE_URL": url, "TESTING": True, "EMBEDDED_WORKER": False})
    try:
        yield County(app).setup(), url
    finally:
        onething(app).close()
