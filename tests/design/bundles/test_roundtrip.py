"""Random paths through each shipped bundle survive per-task save and load."""

from __future__ import annotations

import pytest

from engine.design.deployments import read_paths
from tests.design.bundles.support import BUNDLES, ROUNDTRIP_START, roundtrip_answers
from tests.runtime.test_persistence_roundtrip import drive

KEYS = ["restaurant", "start-business", "employment"]


@pytest.mark.parametrize("outcome", ["accept", "accept_with_gaps", "supplement"])
@pytest.mark.parametrize("key", KEYS)
def test_bundle_paths_survive_save_and_load(rt, db, key, outcome):
    steps = drive(rt, db, read_paths([BUNDLES / key]), ROUNDTRIP_START, seed=len(outcome),
                  answers=roundtrip_answers(outcome))
    assert steps > 3
