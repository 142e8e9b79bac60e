"""The demo county for the integrity tests: the shipped catalogue, org model and bundles,
the demo accounts, and one more account of each kind that must never reach the first's
objects (a second applicant, a second agent)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import agency, forms
from engine.core import clock
from engine.core.actors import SYSTEM, Actor
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.models import Office, User
from engine.org import catalog, offices, users
from engine.org.offices.members import set_postings
from web.demo_accounts import DEMO_ACCOUNTS

ROOT = Path(__file__).resolve().parents[3]
BUNDLES = ROOT / "bpmn" / "bundles"
ORG = ROOT / "bpmn" / "offices" / "org.yaml"
CATALOG = ROOT / "bpmn" / "catalog" / "items.yaml"
KEYS = ("restaurant", "start-business", "employment")
# the situational answers that make each bundle's case need several departments
ANSWERS: dict[str, dict[str, Any]] = {
    "restaurant": {"has_licence": False, "area": 180, "menu": "hot_food",
                   "outdoor_sign": True},
    "start-business": {"company_type": "llc", "need_seal": True, "need_invoice": True,
                       "has_employees": True, "need_bank_account": True, "in_park": False,
                       "wants_agent": False},
    "employment": {"age": 23, "start_business": True, "wants_subsidy": True,
                   "registered_unemployed": False, "graduate": True,
                   "medical_insurance": True, "job_info": True},
}
OFFICE = "branch_tieying"
APPLICANT, APPLICANT_TWO = "applicant_ent", "applicant_two"
AGENT, AGENT_TWO = "agent_park", "agent_two"
# accounts of the same kinds as the demo's, posted elsewhere
EXTRA = {APPLICANT_TWO: ("applicant",), AGENT_TWO: ("agent",)}
EXTRA_POSTS = {AGENT_TWO: ("branch_yangan", "agent")}


def actor_of(session: Session, username: str) -> Actor:
    """The actor a signed-in USERNAME is, with the groups the database gives them."""
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None, username
    return Actor(user.username, frozenset(user.groups), is_admin=user.is_admin)


def set_up(factory: sessionmaker[Session]) -> None:
    """What `onething demo` sets up, plus the second accounts and their authorisations."""
    with unit_of_work(factory) as s:
        # in the order `onething demo` takes: bundles, accounts, catalogue, org model
        for key in KEYS:
            deployments.deploy(s, deployments.read_paths([BUNDLES / key]), actor=SYSTEM,
                               bundle_key=key)
        for account in DEMO_ACCOUNTS:
            users.add_user(s, account.username, None, groups=list(account.groups),
                           admin=account.admin, exist_ok=True)
        catalog.import_catalog(s, CATALOG, actor=SYSTEM)
        offices.import_offices(s, ORG, SYSTEM)
        for name, groups in EXTRA.items():
            users.add_user(s, name, None, groups=list(groups))
        for name, (office, role) in EXTRA_POSTS.items():
            user = s.scalar(select(User).where(User.username == name))
            place = s.scalar(select(Office).where(Office.code == office))
            assert user is not None and place is not None
            set_postings(s, user, [(place, role, "resident")])
        until = clock.now() + timedelta(days=30)
        for principal, agent in ((APPLICANT, AGENT), (APPLICANT_TWO, AGENT_TWO)):
            agency.authorize(s, actor_of(s, principal), agent, ["all"], until)


def schema_of(key: str, element: str) -> dict[str, Any]:
    """The form of ELEMENT in bundle KEY, read from the bundle's files."""
    name = FORM_FILES[element]
    found: dict[str, Any] = json.loads((BUNDLES / key / name).read_text(encoding="utf-8"))
    return found


FORM_FILES = {"accept": "accept.schema.json", "supplement": "supplement.schema.json",
              "correct": "supplement.schema.json", "review": "review.schema.json",
              "recheck": "recheck.schema.json", "supply_promised": "supply.schema.json",
              "choose_delivery": "delivery.schema.json", "agent_intake": "agent.schema.json"}


def valid(key: str, element: str, **extra: Any) -> dict[str, Any]:
    """Data a competent person would submit for ELEMENT of bundle KEY (checked here)."""
    schema = schema_of(key, element)
    supplied = schema["properties"].get("supplied_materials", {}).get("items", {})
    examples: dict[str, dict[str, Any]] = {
        "accept": {"outcome": "accept"},
        "supplement": {"supplied": True}, "correct": {"supplied": True},
        "review": {"decision": "approve", "certificate_no": "LL-TEST-0001"},
        "recheck": {"checked": True},
        "supply_promised": {"supplied_materials": [
            (supplied.get("oneOf") or [{"const": "x"}])[0]["const"]]},
        "choose_delivery": {"delivery": "window"},
        "agent_intake": {"agent_name": "代办员", "authorisation_scope": ["apply"],
                         "authorisation_valid_until": "2099-12-31"},
    }
    data = {**examples.get(element, {}), **extra}
    forms.validate(schema, data)
    return data


def org_postings() -> dict[tuple[str, str], set[str]]:
    """(office, role) -> usernames posted there, read straight from the org file."""
    doc = yaml.safe_load(ORG.read_text(encoding="utf-8"))
    found: dict[tuple[str, str], set[str]] = {}
    for person in doc["staff"]:
        for post in person.get("posts") or []:
            found.setdefault((post["office"], post["role"]), set()).add(person["username"])
    for name, place in EXTRA_POSTS.items():
        found.setdefault(place, set()).add(name)
    return found
