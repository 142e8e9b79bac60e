"""What `onething demo` sets up: sample bundles and one account per role."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class DemoAccount(NamedTuple):
    """One demo login: name, password, groups, admin flag."""

    username: str
    password: str
    groups: tuple[str, ...] = ()
    admin: bool = False


DEMO_PASSWORD = "demo1234"

DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin", ("admin",), admin=True),
    DemoAccount("clerk_tieying", DEMO_PASSWORD, ("window_clerk", "branch_tieying")),
    DemoAccount("reviewer_market", DEMO_PASSWORD, ("reviewer", "dept_market")),
    DemoAccount("reviewer_fire", DEMO_PASSWORD, ("reviewer", "dept_fire")),
    DemoAccount("supervisor", DEMO_PASSWORD, ("supervisor",)),
    DemoAccount("designer", DEMO_PASSWORD, ("designer",)),
    DemoAccount("leader", DEMO_PASSWORD, ("leader",)),
    DemoAccount("agent_park", DEMO_PASSWORD, ("agent",)),
    DemoAccount("applicant_ent", DEMO_PASSWORD, ("applicant",)),
)

# the sample bundles shipped beside the package (absent in a wheel install)
DEMO_BUNDLES = Path(__file__).resolve().parents[1] / "bpmn" / "bundles"
# the sample catalogue and org model; offices add groups such as reviewer@dept_market
DEMO_CATALOG = DEMO_BUNDLES.parent / "catalog" / "items.yaml"
DEMO_ORG = DEMO_BUNDLES.parent / "offices" / "org.yaml"
