"""Hand a message to a case's workflow: the correlation the caller named, checked against
the payload, and the case's own values for what neither names."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.core.errors import Conflict, FieldError, InvalidInput
from engine.models import Case
from engine.runtime.persistence import LiveCase


def _property_values(wf: Any, ed: Any, body: dict[str, Any]) -> dict[str, Any]:
    """The correlation values the payload carries (a property it lacks is left out)."""
    found: dict[str, Any] = {}
    for prop in ed.correlation_properties:
        try:
            found[prop.name] = wf.script_engine.environment.evaluate(
                prop.retrieval_expression, body)
        except Exception:  # noqa: BLE001 - the payload need not carry every property
            continue
    return found


def _correlations(wf: Any, ed: Any, body: dict[str, Any], given: dict[str, Any],
                  name: str) -> dict[str, dict[str, Any]]:
    """The event's correlations: the accepted correlation, checked against the payload.

    A property the request names, the payload names too or leaves out; a property neither
    names takes the value the case already has, so the message reaches the case it was
    routed to.
    """
    props = {p.name: p for p in ed.correlation_properties}
    unknown = sorted(set(given) - set(props))
    if unknown:
        raise InvalidInput(f"message '{name}' has no correlation property "
                           f"{', '.join(unknown)}", [FieldError(
                               f"correlation/{k}", "is not a correlation property of "
                               f"this message ({', '.join(sorted(props)) or 'none'})")
                               for k in unknown])
    carried = _property_values(wf, ed, body)
    clashes = [FieldError(f"payload/{k}", f"is {carried[k]!r} but the correlation says "
                                          f"{given[k]!r}")
               for k in sorted(given) if k in carried and str(carried[k]) != str(given[k])]
    if clashes:
        raise InvalidInput("the payload and the correlation name different cases", clashes)
    known: dict[str, Any] = {}
    for values in wf.correlations.values():
        known.update(values)
    out: dict[str, dict[str, Any]] = {}
    for prop in ed.correlation_properties:
        value = given.get(prop.name, carried.get(prop.name, known.get(prop.name)))
        if value is None and prop.name not in carried:
            continue
        for key in prop.correlation_keys:
            out.setdefault(key, {})[prop.name] = value
    return out


def deliverer(name: str, body: dict[str, Any], given: dict[str, Any] | None = None) -> Any:
    """A change for engine.cases.advance that hands message NAME with BODY to the case."""
    def deliver(live: LiveCase, _case: Case) -> None:
        wf = live.workflow
        waiting = [t for t in wf.event_manager.tasks.values()
                   if t.has_state(TaskState.WAITING | TaskState.READY)
                   and getattr(t.task_spec.event_definition, "name", None) == name]
        if not waiting:
            raise Conflict(f"case {live.case_id} no longer waits for message '{name}'")
        ed = waiting[0].task_spec.event_definition
        corr = _correlations(wf, ed, body, given or {}, name)
        try:
            wf.send_event(BpmnEvent(ed, payload=body, correlations=corr))
        except WorkflowException as exc:
            raise Conflict(f"case {live.case_id} did not take message '{name}': "
                           f"{exc}") from exc
    return deliver
