"""Each bundle's guide tells what the catalogue and the org model say: limits, fees, offices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from engine.design import guides
from tests.design.bundles.support import files

ROOT = Path(__file__).resolve().parents[3]
KEYS = ["restaurant", "start-business", "employment"]


def _catalogue() -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load((ROOT / "bpmn" / "catalog" / "items.yaml").read_text("utf-8"))
    return {item["code"]: item for item in doc["items"]}


def _offices() -> set[str]:
    doc = yaml.safe_load((ROOT / "bpmn" / "offices" / "org.yaml").read_text("utf-8"))
    return {office["code"] for office in doc["offices"]}


@pytest.mark.parametrize("key", KEYS)
def test_limits_and_fees_follow_the_catalogue(key):
    catalogue = _catalogue()
    guide = guides.load_guide(files(key))
    for item in guide.items:
        listed = catalogue[item.code]
        assert item.statutory_days == listed["statutory_days"], item.code
        # an instant item (committed 0) is committed within one day inside a bundle
        assert item.commitment_days == max(listed["committed_days"], 1), item.code
        fee = listed["fee"]
        assert item.fee.amount == (fee["amount"] if isinstance(fee, dict) else fee), item.code
    assert guide.commitment_days == max(i.commitment_days for i in guide.items)
    assert guide.statutory_days == max(i.statutory_days for i in guide.items)


@pytest.mark.parametrize("key", KEYS)
def test_every_group_names_an_office_that_exists(key):
    offices = _offices()
    for item in guides.load_guide(files(key)).items:
        _, at, office = item.candidate_group.partition("@")
        assert not at or office in offices, item.candidate_group
