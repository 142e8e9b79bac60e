"""Which step of a case starts, stops or ends its commitment clocks: the one table of rules.

The shipped bundles share task ids (``accept``, ``supplement``, ``correct``, ``review``,
``supply_promised``), so the clocks need no code in the diagrams. A step the law leaves
out of the time limit (hearing, expert review, on-site inspection) is marked in the
diagram with the task property ``clock`` = ``excluded`` (``spiffworkflow:property`` or
``camunda:property``).

| work item              | element                        | data                       | clocks   |
| ---------------------- | ------------------------------ | -------------------------- | -------- |
| completed              | accept                         | outcome accept / with gaps | start    |
| opened                 | supplement                     |                            | pause    |
| completed or cancelled | supplement                     |                            | resume   |
| opened                 | correct (one item's 补正)      |                            | pause (*) |
| completed or cancelled | correct                        |                            | resume   |
| opened                 | any task with clock = excluded |                            | pause    |
| completed or cancelled | any task with clock = excluded |                            | resume   |
| completed              | review                         | decision approve / refuse  | end item |
| (case status)          | completed or cancelled         |                            | end all  |

(*) only the case clock and the clock of that item (``item_code`` of the task).

``supply_promised`` (materials promised at acceptance with gaps, 容缺) does not stop the
clock: the departments keep working meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.models import WorkItem

START, PAUSE, RESUME, END_ITEM = "start", "pause", "resume", "end_item"
OPENED, COMPLETED, CLOSED = "opened", "completed", "closed"  # closed: completed or cancelled
EXCLUDED = "excluded"
# tasks that stop only the case clock and their own item's clock
ITEM_PAUSES = frozenset({"correct"})
CLOCK_PROPERTY = "clock"


@dataclass(frozen=True)
class Rule:
    when: str
    element: str  # a task id, or EXCLUDED for any task marked clock = excluded
    action: str
    data_key: str | None = None
    values: tuple[str, ...] = ()

    def matches(self, when: str, item: WorkItem, data: Mapping[str, Any]) -> bool:
        """Whether this rule applies to ITEM having been WHEN (with its task DATA)."""
        if when != self.when and not (self.when == CLOSED and when == COMPLETED):
            return False
        if self.element == EXCLUDED:
            if not is_excluded(item):
                return False
        elif item.element_id != self.element:
            return False
        return self.data_key is None or str(data.get(self.data_key)) in self.values


RULES: tuple[Rule, ...] = (
    Rule(COMPLETED, "accept", START, "outcome", ("accept", "accept_with_gaps")),
    Rule(OPENED, "supplement", PAUSE),
    Rule(CLOSED, "supplement", RESUME),
    Rule(OPENED, "correct", PAUSE),
    Rule(CLOSED, "correct", RESUME),
    Rule(OPENED, EXCLUDED, PAUSE),
    Rule(CLOSED, EXCLUDED, RESUME),
    Rule(COMPLETED, "review", END_ITEM, "decision", ("approve", "refuse")),
)


def is_excluded(item: WorkItem) -> bool:
    """Whether the diagram marks ITEM's task as outside the time limit."""
    return str((item.properties or {}).get(CLOCK_PROPERTY, "")).strip().lower() == EXCLUDED


def actions(when: str, item: WorkItem, data: Mapping[str, Any]) -> list[str]:
    """The clock actions ITEM having been WHEN calls for, in table order."""
    return [rule.action for rule in RULES if rule.matches(when, item, data)]
