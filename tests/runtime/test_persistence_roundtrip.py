"""Property test: saving only what changed, then loading, gives back the same workflow.

Random paths through each diagram; after every step the case is saved with the
per-task store, loaded into a fresh workflow from the rows alone, and compared
with the workflow kept in memory (states, data, internal data, tree shape).
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.core import clock
from engine.core.actors import SYSTEM
from engine.core.db import unit_of_work
from engine.design import deployments
from engine.design.deployments import read_paths
from engine.models import Case
from engine.runtime import persistence
from engine.runtime.diagrams import compile_bundle
from engine.runtime.persistence import LiveCase
from tests.design.bundles.support import ROUNDTRIP_START, roundtrip_answers
from tests.design.test_shipped_bundles import FOLDERS as BUNDLE_FOLDERS
from tests.runtime.corpus_data import RUNS
from tests.runtime.roundtrip import diff, snapshot

DATA = Path(__file__).resolve().parents[1] / "data"


def _answers(spec_name: str, rng: random.Random) -> dict[str, Any]:
    """Data a user might enter, varied so gateways take different branches."""
    return {
        "accepted": rng.random() < 0.7, "area": rng.choice([10, 150, 400]),
        "approved": rng.random() < 0.7,
        "market_ok": rng.random() < 0.8, "fire_ok": rng.random() < 0.8,
        f"answer_{spec_name}": rng.randint(0, 9),
        "nested": {"by": spec_name, "items": [rng.randint(0, 3)]},
    }


CASES = {
    "approval": (["approval.bpmn", "accept-schema.json"], {"applicant": "A"}),
    "reference": (["reference.bpmn"], {"amount": 3}),
    "loop": (["loop.bpmn"], {"target": 6}),
    "timers": (["timers.bpmn"], {}),
}


def drive(rt: Any, factory: Any, files: dict[str, bytes], start_data: dict[str, Any],
          seed: int, max_steps: int = 60,
          answers: dict[str, dict[str, Any]] | None = None) -> int:
    bundle = compile_bundle(files)
    spec, subs = bundle.specs[bundle.process_ids[0]]
    rng = random.Random(seed)
    wf = BpmnWorkflow(spec, subs, script_engine=rt.script_engine)
    wf.get_next_task(state=TaskState.READY).data.update(start_data)
    wf.do_engine_steps()
    now = clock.now()
    with unit_of_work(factory) as s:
        dep = deployments.deploy(s, files, actor=SYSTEM).deployment
        case = Case(number=f"T-{seed}", deployment_id=dep.id, process_id="p", bundle_key="b",
                    created_at=now, updated_at=now, workflow_state="{}")
        s.add(case)
        s.flush()
        case_id = case.id
    live = LiveCase(case_id, 0, wf)
    steps = 0
    for steps in range(max_steps):
        with unit_of_work(factory) as s:
            persistence.save(s, live)
            s.get(Case, case_id).workflow_state = persistence.shell_json(live)
        with unit_of_work(factory) as s:
            loaded = persistence.load(s, s.get(Case, case_id), spec, subs, rt.script_engine)
        problems = diff(snapshot(live.workflow), snapshot(loaded.workflow))
        assert not problems, f"seed {seed} step {steps}: " + "; ".join(problems[:8])
        if rng.random() < 0.3:
            live = loaded  # go on with the loaded copy: its digests must be right too
        ready = [t for t in live.workflow.get_tasks(state=TaskState.READY, manual=True)]
        if not ready:
            if live.workflow.waiting_events():
                clock.advance(timedelta(hours=2))
                live.workflow.refresh_timers()
                live.workflow.do_engine_steps()
                continue
            break
        task = rng.choice(ready)
        task.data.update(_answers(task.task_spec.name, rng))
        task.data.update((answers or {}).get(task.task_spec.name, {}))
        task.run()
        live.workflow.do_engine_steps()
    return steps


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("name", sorted(CASES))
def test_random_paths_survive_save_and_load(rt, db, name, seed):
    names, start = CASES[name]
    files = {n: (DATA / n).read_bytes() for n in names}
    steps = drive(rt, db, files, start, seed)
    assert steps > 0


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("name", sorted(RUNS))
def test_corpus_paths_survive_save_and_load(rt, db, services, corpus, name, seed):
    run = RUNS[name]
    for operator in run.connectors:
        services.register(operator, lambda **params: {"ok": True, **params})
    files = {run.file: (corpus / run.file).read_bytes()}
    drive(rt, db, files, run.start, seed, answers=run.answers)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("folder", BUNDLE_FOLDERS, ids=[f.name for f in BUNDLE_FOLDERS])
def test_shipped_bundles_survive_save_and_load(rt, db, folder, seed):
    steps = drive(rt, db, read_paths([folder]), ROUNDTRIP_START, seed,
                  answers=roundtrip_answers())
    assert steps > 0
