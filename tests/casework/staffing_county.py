"""A tiny county for the staffing tests: offices, staff with postings, cases with open tasks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from engine.models import Candidate, Case, Deployment, Office, WorkItem
from engine.org import users
from engine.org.offices import set_postings
from engine.runtime import work_keys

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
OFFICES = {"branch_tieying": ("铁营分局", "branch"), "branch_yangan": ("杨安分局", "branch"),
           "dept_market": ("市场监督管理局", "department")}


def build_offices(session: Session) -> dict[str, Office]:
    """The offices of the tiny county."""
    found = {code: Office(code=code, name_zh=zh, name_en=code, level=level)
             for code, (zh, level) in OFFICES.items()}
    session.add_all(found.values())
    session.flush()
    return found


def person(session: Session, offices: dict[str, Office], username: str,
           posts: Iterable[tuple[str, str]], *, active: bool = True,
           groups: Iterable[str] = ()) -> None:
    """An account posted at POSTS (office, role), with extra GROUPS."""
    user = users.add_user(session, username, None, groups=list(groups))
    set_postings(session, user, [(offices[o], role, "resident") for o, role in posts])
    user.active = active
    session.flush()


def deployment(session: Session, key: str = "restaurant") -> Deployment:
    dep = Deployment(bundle_key=key, version=1, content_hash=key * 2, flavour="spiff",
                     main_process_id=key, process_ids=[key], created_at=NOW,
                     created_by="designer")
    session.add(dep)
    session.flush()
    return dep


def case_with_task(session: Session, dep: Deployment, number: str, office: str | None, *,
                   groups: Iterable[str] = (), users_: Iterable[str] = (),
                   assignee: str | None = None, title: str = "部门审查决定",
                   status: str = "running") -> WorkItem:
    """A case accepted at OFFICE with one open review task for GROUPS and USERS_."""
    case = Case(number=number, deployment_id=dep.id, process_id=dep.main_process_id,
                bundle_key=dep.bundle_key, title=f"办件 {number}", office_code=office,
                status=status, created_at=NOW, updated_at=NOW, workflow_state="{}")
    session.add(case)
    session.flush()
    item = WorkItem(id=f"00000000-0000-0000-0000-{case.id:012d}", case_id=case.id,
                    kind="user", element_id="review", process_id=dep.main_process_id,
                    title=title, state="open", assignee=assignee, created_at=NOW,
                    properties={}, input_data={})
    item.candidates = (
        [Candidate(case_id=case.id, kind="group", name=g) for g in groups]
        + [Candidate(case_id=case.id, kind="user", name=u) for u in users_])
    session.add(item)
    session.flush()
    work_keys.opened(session, case, [item])
    return item
