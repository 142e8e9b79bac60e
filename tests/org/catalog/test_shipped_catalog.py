"""The shipped sample catalogue loads and is realistic enough to build bundles on."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.core.db import unit_of_work
from engine.models import Department, Item
from engine.org.catalog import get_item, list_departments, list_items, read_catalog
from engine.org.catalog.validation import validate_catalog
from tests.org.catalog.conftest import ITEMS

BUNDLE_CODES = ["MS-001", "MS-002", "MS-010", "FR-001", "UM-003", "PS-001", "TX-001",
                "HR-001", "MI-001", "MI-002", "HR-010", "HR-011", "BK-001"]
DEPARTMENTS = ["MS", "AG", "HE", "HR", "MI", "UM", "FR", "EE", "EM", "NR", "TX", "PS"]


@pytest.fixture(scope="module")
def shipped():
    departments, items = validate_catalog(read_catalog(ITEMS), set())
    return departments, {i.code: i for i in items}


def test_at_least_60_items_across_the_required_departments(shipped):
    departments, items = shipped
    assert len(items) >= 60
    used = {i.department for i in items.values()}
    assert len(used) >= 10
    assert set(DEPARTMENTS) <= used <= {d.code for d in departments}


@pytest.mark.parametrize("code", BUNDLE_CODES)
def test_items_the_bundles_use_exist(shipped, code):
    assert code in shipped[1]


def test_every_item_keeps_its_limits_and_has_a_key_material(shipped):
    for item in shipped[1].values():
        assert item.committed_days <= item.statutory_days, item.code
        assert any(m.key for m in item.materials), item.code
        assert item.name_zh and item.name_en and item.legal_basis.startswith("《"), item.code
        assert item.decide_levels, item.code
        if item.instant:
            assert item.committed_days == 0, item.code


def test_most_items_are_free_and_some_are_instant(shipped):
    items = list(shipped[1].values())
    assert sum(i.fee_amount == 0 for i in items) > len(items) * 0.8
    assert any(i.fee_amount > 0 for i in items)
    assert any(i.instant for i in items)


def test_shipped_catalogue_imports_into_the_database(loaded):
    with unit_of_work(loaded, read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Item)) >= 60
        assert session.scalar(select(func.count()).select_from(Department)) >= 12
        permit = get_item(session, "MS-010")
        assert permit.department.name_zh == "乐陵市市场监督管理局"
        assert [m.code for m in permit.materials if m.key] == [
            "food_permit_form", "business_licence", "food_layout"]
        fr, total = list_items(session, department="FR")
        assert total == len(fr) >= 1 and all(i.department_code == "FR" for i in fr)
        hits, _ = list_items(session, q="食品")
        assert {"MS-010", "MS-012"} <= {i.code for i in hits}
        counts = dict((d.code, n) for d, n in list_departments(session))
        assert counts["MS"] >= 5 and counts["BK"] == 1
