"""The service's log: SpiffWorkflow's per-task state lines only when asked for DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from web.app import configure_logging


@pytest.fixture
def levels() -> Iterator[None]:
    root, spiff = logging.getLogger(), logging.getLogger("spiff")
    kept = root.level, spiff.level
    yield
    root.setLevel(kept[0])
    spiff.setLevel(kept[1])


def test_task_state_lines_are_kept_out_of_an_info_log(levels, caplog) -> None:
    configure_logging("INFO")
    with caplog.at_level(logging.INFO):
        logging.getLogger("spiff.task").info("State changed to READY")
        logging.getLogger("onething.access").info("a request")
    assert [r.name for r in caplog.records] == ["onething.access"]
    assert logging.getLogger("spiff.task").getEffectiveLevel() == logging.WARNING


def test_a_debug_log_keeps_them(levels) -> None:
    configure_logging("DEBUG")
    assert logging.getLogger("spiff.task").getEffectiveLevel() == logging.DEBUG
