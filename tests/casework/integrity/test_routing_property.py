"""Property: whatever a person submits, who works every later task stays what the org model
and the accepting office say. Random extra keys are refused and change nothing; random
values of declared fields move the case along some path, but never reach its candidates,
assignees or routing table."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import case_data, case_routing, cases, completion, drafts
from engine.core.db import unit_of_work
from engine.core.errors import InvalidInput
from engine.models import WorkItem
from tests.casework.integrity.county import KEYS, OFFICE, actor_of, schema_of, valid
from tests.casework.integrity.drive import Drive
from tests.casework.integrity.test_declared_fields import SLIPPED

JSON = st.recursive(st.none() | st.booleans() | st.integers(-10, 10) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(string.ascii_letters, max_size=6), inner,
                                      max_size=3), max_leaves=6)
NAMES = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)
# roles whose bare name a task may carry; the office of the case scopes them
ROLE_GROUPS = frozenset({"window_clerk", "agent"})


def values(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the shape a form property declares (not always valid ones)."""
    consts = [o["const"] for o in schema.get("oneOf", []) if "const" in o]
    if consts or schema.get("enum"):
        return st.sampled_from(consts or schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind in ("integer", "number"):
        return st.integers(-5, 500)
    if kind == "array":
        return st.lists(values(schema.get("items") or {}), max_size=3)
    if schema.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "string":
        return st.text(max_size=20)
    return JSON


def check_who(session: Session, cid: int, routing: dict[str, Any],
              strangers: set[str]) -> None:
    """Every open task's candidates come from the routing table, a scoped role, or the
    case's applicant, and nothing a person typed ever became a candidate."""
    case = cases.get_case(session, cid)
    allowed = ROLE_GROUPS | {r[k] for r in routing.values() for k in ("group", "window")}
    for item in session.query(WorkItem).filter_by(case_id=cid, state="open"):
        groups = set(item.candidate_names("group"))
        people = set(item.candidate_names("user"))
        assert groups <= allowed, (item.element_id, groups - allowed)
        assert people <= {case.applicant}, (item.element_id, people)
        assert item.assignee in (None, case.applicant) or item.assignee not in strangers
        assert not (groups | people) & strangers, (item.element_id, strangers)


@pytest.mark.parametrize("key", KEYS)
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_submissions_never_change_who_works_later_tasks(
        rt: Any, drive: Drive, county: sessionmaker[Session], key: str, data: Any) -> None:
    cid = drive.start(key)
    with unit_of_work(county) as s:
        guide = drafts.guide_of_bundle(rt, s, key)
        routing = case_routing.routing_table(s, guide, OFFICE)
    strangers: set[str] = set()
    steps = 0
    for _step in range(14):
        steps += 1
        items = drive.open_items(cid)
        if not items:
            break
        item = data.draw(st.sampled_from(items), label="task")
        who, for_whom = drive.who_works(item)
        schema = schema_of(key, item.element_id)
        declared = schema["properties"]
        extra = data.draw(st.dictionaries(
            st.sampled_from(SLIPPED) | NAMES.filter(lambda n, d=declared: n not in d), JSON,
            min_size=1, max_size=3), label="extra keys")
        base = valid(key, item.element_id)
        with unit_of_work(county) as s:
            version = cases.get_case(s, cid).version
        with pytest.raises(InvalidInput) as err, unit_of_work(county) as s:
            completion.complete(rt, s, item.id, {**base, **extra}, actor_of(s, who),
                                on_behalf_of=for_whom)
        named = {f.path for f in err.value.fields}
        # each slipped key is refused by name, or (text no database can hold) inside it
        assert all(any(p == k or p.startswith(f"{k}/") for p in named) for k in extra), named
        with unit_of_work(county) as s:
            assert cases.get_case(s, cid).version == version
        chosen = data.draw(st.fixed_dictionaries({}, optional={
            name: values(prop) for name, prop in declared.items()}), label="declared values")
        strangers |= {v for v in chosen.values() if isinstance(v, str) and len(v) > 2}
        try:
            with unit_of_work(county) as s:
                completion.complete(rt, s, item.id, {**base, **chosen}, actor_of(s, who),
                                    on_behalf_of=for_whom)
        except InvalidInput:
            with unit_of_work(county) as s:
                completion.complete(rt, s, item.id, base, actor_of(s, who),
                                    on_behalf_of=for_whom)
        with unit_of_work(county) as s:
            check_who(s, cid, routing, strangers - {"window", "post", "door"})
            if cases.get_case(s, cid).status == "running":
                now = case_data.current(rt, s, cases.get_case(s, cid))
                assert now.get(case_routing.ROUTING_KEY) == routing
    assert steps > 1  # the case moved: the property was checked on later tasks
