"""Every bundle shipped under bpmn/bundles/ validates and runs its main path."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.design.deployments import read_paths
from engine.runtime.diagrams import compile_bundle
from tests.design.bundles.paths import check_main_path
from tests.design.bundles.support import BundleScenario
from tests.design.bundles.test_restaurant import PROFILE

BUNDLES = Path(__file__).resolve().parents[2] / "bpmn" / "bundles"
FOLDERS = sorted(p for p in BUNDLES.iterdir() if p.is_dir()) if BUNDLES.is_dir() else []


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_bundle_validates(folder):
    bundle = compile_bundle(read_paths([folder]))
    assert bundle.process_ids


def test_restaurant_main_path(rt, db):
    check_main_path(BundleScenario(rt, db), PROFILE)
