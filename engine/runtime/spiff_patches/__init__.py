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

Each module also keeps, in ``REPLACED``, the upstream objects it replaces, as
found when it was imported; ``upstream()`` puts them back for a test that shows
what a patch still fixes (tests/runtime/test_spiff_patches.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import SpiffWorkflow.version

from engine.runtime.spiff_patches import (
    correlations,
    iteration,
    joins,
    lookup,
    scans,
    tree_walks,
)

SUPPORTED_VERSION = "3.2.0"

PATCHES: tuple[ModuleType, ...] = (iteration, lookup, tree_walks, joins, scans, correlations)
"""The patch modules, in the order apply() installs them."""

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
        for module in PATCHES:
            module.apply()
        _applied = True


def is_applied() -> bool:
    """Tell whether apply() has run in this process."""
    return _applied


def _restore(replaced: dict[tuple[Any, str], Any]) -> None:
    """Put the upstream values of one module's REPLACED mapping back in place."""
    for (owner, name), original in replaced.items():
        if original is lookup.INHERITED:
            # Upstream has no such attribute here: removing the patch re-exposes the base's.
            if name in vars(owner):
                delattr(owner, name)
        else:
            setattr(owner, name, original)


@contextmanager
def upstream(*modules: ModuleType) -> Iterator[None]:
    """Run the block with SpiffWorkflow's own code in place of these patch modules (tests only).

    With no module every patch is lifted.  The patches are applied first, and the
    named modules are re-installed on exit even if the block raises.  While the
    block runs, lookup's reachability memo is not used (``scans`` keeps it current
    and may be lifted), and memo entries from before are dropped on exit.

    For tests only, and not thread-safe: it rewrites SpiffWorkflow's classes for
    the whole process, so no other thread may run a workflow meanwhile, and blocks
    that lift the same module must not nest.
    """
    unknown = [m.__name__ for m in modules if m not in PATCHES]
    if unknown:
        raise ValueError(f"not a spiff patch module: {', '.join(unknown)}")
    apply()
    chosen = modules or PATCHES
    lookup.pause_memo()
    try:
        for module in chosen:
            _restore(module.REPLACED)
        yield
    finally:
        # In apply()'s order, so the state after the block is the one apply() built.
        for module in PATCHES:
            if module in chosen:
                module.apply()
        lookup.resume_memo()
