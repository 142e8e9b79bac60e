"""Patches that make SpiffWorkflow 3.2.0 correct and fast on long (deep) cases.

SpiffWorkflow keeps every task ever run in one tree, so a case that loops (e.g.
"return for supplement" a few hundred times) grows a chain thousands of tasks
deep.  Upstream 3.2.0 then goes wrong in three ways (see SPIFFWORKFLOW.md,
gotcha 9):

* ``TaskIterator`` stops descending at ``max_depth=1000``: ``get_tasks``,
  ``do_engine_steps`` and ``is_completed`` silently miss deeper tasks, so a case
  with a READY task is reported completed;
* several walks recurse once per chained task (prediction, removal,
  cancellation, ancestor search, the parallel join) and hit the recursion limit;
* every step re-walks the whole tree from the root, so driving is O(N^2).

``apply()`` replaces the affected methods, in place, with iterative versions
that keep upstream's visiting order and semantics.  The recursion limit is
never raised.  Each module documents which upstream method it replaces and why, and
names the upstream release it was written against (``UPSTREAM``); ``correlations``
fixes message correlation for payloads that leave a property out.
"""

from __future__ import annotations

import threading

import SpiffWorkflow.version

from engine.runtime.spiff_patches import correlations, iteration, joins, scans, tree_walks

SUPPORTED_VERSION = "3.2.0"

_lock = threading.Lock()
_applied = False


def check_version(version: str | None = None) -> None:
    """Raise RuntimeError unless the installed SpiffWorkflow is the one patched."""
    found = version if version is not None else SpiffWorkflow.version.__version__
    if found != SUPPORTED_VERSION:
        raise RuntimeError(
            f"engine.runtime.spiff_patches targets SpiffWorkflow {SUPPORTED_VERSION} but "
            f"{found} is installed; re-check every patched method against the new "
            "release before changing the pin"
        )


def apply() -> None:
    """Patch SpiffWorkflow for deep task trees; safe to call more than once."""
    global _applied
    with _lock:
        if _applied:
            return
        check_version()
        iteration.apply()
        tree_walks.apply()
        joins.apply()
        scans.apply()
        correlations.apply()
        _applied = True


def is_applied() -> bool:
    """Tell whether apply() has run in this process."""
    return _applied
