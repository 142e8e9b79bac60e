"""Service tasks whose outside system fails are retried as jobs, with back-off."""

from __future__ import annotations

from datetime import timedelta

from engine.core import clock
from engine.jobs.worker import Worker, run_until_idle
from tests.runtime.scenario import Scenario


class FlakyRegistry:
    """Fails the first FAILURES calls, like a registry that is briefly down."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def __call__(self, credit_code: str) -> dict[str, str]:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("registry unreachable")
        return {"credit_code": credit_code, "status": "valid"}


def _start(rt, db, services, failures):
    registry = FlakyRegistry(failures)
    services.register("registry/lookup", registry)
    sc = Scenario(rt, db)
    sc.deploy("service_retry.bpmn")
    return sc, sc.start("licence_lookup", {"credit_code": "91371400MA"}), registry


def test_failed_call_is_retried_until_it_works(rt, db, services):
    sc, cid, registry = _start(rt, db, services, failures=2)
    case = sc.case(cid)
    assert case.status == "error" and "registry unreachable" in case.error_message
    worker = Worker(rt, db)
    assert run_until_idle(worker) == 0  # the retry waits for its back-off
    clock.advance(timedelta(seconds=1.5))
    assert run_until_idle(worker) == 1
    assert sc.case(cid).status == "error" and registry.calls == 2
    clock.advance(timedelta(seconds=2.5))
    assert run_until_idle(worker) == 1
    assert sc.case(cid).status == "running" and registry.calls == 3
    assert sc.item(cid, "check").input_data["licence"]["status"] == "valid"


def test_retries_run_out_and_the_case_stays_stopped(rt, db, services):
    sc, cid, registry = _start(rt, db, services, failures=10)
    worker = Worker(rt, db)
    for _ in range(4):
        clock.advance(timedelta(seconds=10))
        run_until_idle(worker)
    assert registry.calls == 3  # the first call and two retries
    assert sc.case(cid).status == "error"
    assert [w for w in sc.show(cid)["waiting_on"] if w["kind"] == "retry"] == []
