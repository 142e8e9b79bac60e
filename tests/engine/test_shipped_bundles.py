"""Every bundle shipped under bpmn/bundles/ validates and runs its main path."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.deployments import read_paths
from engine.diagrams import compile_bundle

from .scenario import Actor, Scenario

BUNDLES = Path(__file__).resolve().parents[2] / "bpmn" / "bundles"
FOLDERS = sorted(p for p in BUNDLES.iterdir() if p.is_dir()) if BUNDLES.is_dir() else []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_bundle_validates(folder):
    bundle = compile_bundle(read_paths([folder]))
    assert bundle.process_ids


def test_restaurant_main_path(rt, db):
    sc = Scenario(rt, db)
    sc.deploy_files(read_paths([BUNDLES / "restaurant"]), bundle="restaurant")
    cid = sc.start("restaurant", {"applicant": "Tieying Noodles"})
    clerk = Actor("clerk_tieying", frozenset({"window_clerk"}))
    sc.complete(cid, "accept", {"accepted": True}, actor=clerk)
    assert {w.element_id for w in sc.open_items(cid)} == {"review_market", "review_fire"}
    sc.complete(cid, "review_fire", {"approved": True},
                actor=Actor("reviewer_fire", frozenset({"dept_fire"})))
    sc.complete(cid, "review_market", {"approved": False, "note": "kitchen too small"},
                actor=Actor("reviewer_market", frozenset({"dept_market"})))
    case = sc.complete(cid, "deliver", {}, actor=clerk)
    assert case.status == "completed"
