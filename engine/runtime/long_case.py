"""A hard bound on the size of one case's task tree.

Every task a case ever runs stays in its SpiffWorkflow tree (and in its
serialized form), so a case that loops without end (a model error, or a user
returning an application for the thousandth time) grows until it is too slow
or too big to load.  The engine calls ``check_depth`` after each command so such
a case stops with a clear error instead of degrading.

MAX_TASKS is far above what legitimate long cases need: a loop of one user
task, one gateway and one script runs 3 tasks per round, so 2,000 rounds of
"return for supplement" use about 6,000 tasks; with the patches in
``engine.runtime.spiff_patches`` that runs in seconds.
"""

from __future__ import annotations

from typing import Any

from engine.core.errors import ScriptLimitExceeded

MAX_TASKS = 50_000
"""Default hard limit on tasks in one case, subprocesses included."""


def task_count(workflow: Any) -> int:
    """Count the tasks of a workflow and of all its subprocesses."""
    total = len(workflow.tasks)
    for subprocess in getattr(workflow, "subprocesses", {}).values():
        total += len(subprocess.tasks)
    return total


def check_depth(workflow: Any, limit: int = MAX_TASKS) -> None:
    """Raise ScriptLimitExceeded when the case holds more than ``limit`` tasks."""
    if limit < 1:
        raise ValueError("limit must be positive")
    count = task_count(workflow)
    if count > limit:
        raise ScriptLimitExceeded(
            f"case has {count} tasks, above the limit of {limit}; it is probably "
            "looping without end (check the loop conditions of the process model)"
        )
