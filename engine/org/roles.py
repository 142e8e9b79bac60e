"""The groups that carry rights beyond working one's own tasks, and the check for them."""

from __future__ import annotations

from engine.core.actors import Actor
from engine.core.errors import Forbidden

# deploy bundles
DESIGNERS = frozenset({"designer"})
# cancel or retry anyone's case, see every case
OPERATORS = frozenset({"supervisor", "operator"})
# read every case (county leaders follow the county's work; they act through extensions
# and escalated supervision orders, not on tasks)
READERS = frozenset({"leader"})
# outside systems: send messages and signals, work external tasks
INTEGRATIONS = frozenset({"integration", "worker"})


def require(actor: Actor, groups: frozenset[str], what: str) -> None:
    """Raise Forbidden unless ACTOR is an admin or in one of GROUPS."""
    if actor.is_admin or actor.groups & groups:
        return
    raise Forbidden(f"{actor.username} may not {what} "
                    f"(needs one of the groups: {', '.join(sorted(groups))})")


def sees_everything(actor: Actor) -> bool:
    """Admins, supervisors and operators see (and may act on) every case."""
    return actor.is_admin or bool(actor.groups & OPERATORS)


def reads_everything(actor: Actor) -> bool:
    """Those who see every case, and the county's leaders who read them."""
    return sees_everything(actor) or bool(actor.groups & READERS)
