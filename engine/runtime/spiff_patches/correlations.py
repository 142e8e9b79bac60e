"""Message correlations a payload does not carry are left as they are (SpiffWorkflow 3.2.0).

Upstream ``MessageEventDefinition.calculate_correlations`` evaluates each correlation
property's retrieval expression on the payload and means to "ignore missing keys", but
its ``try`` wraps the dictionary assignment, not the evaluation: a payload without the
property raises NameError out of ``catch``, after the message was routed to its case by
the correlation the caller gave. The replacement skips a property the payload lacks, so
the case keeps the value it already has; a payload that names a different value is
refused before delivery (engine.jobs.messages).
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition

UPSTREAM = "3.2.0"  # the SpiffWorkflow release this module was checked against

REPLACED: dict[tuple[Any, str], Any] = {
    (MessageEventDefinition, "calculate_correlations"):
        MessageEventDefinition.calculate_correlations,
}
"""What apply() replaces, as found at import: (owner, attribute) -> upstream value."""


def _calculate_correlations(self: MessageEventDefinition, script_engine: Any,
                            cp: list[Any], ctx: Any) -> dict[str, dict[str, Any]]:
    """Replace ``MessageEventDefinition.calculate_correlations``: skip absent properties."""
    correlations: dict[str, dict[str, Any]] = {}
    for prop in cp:
        try:
            value = script_engine.environment.evaluate(prop.retrieval_expression, ctx)
        except Exception:  # noqa: BLE001 - the payload does not carry this property
            continue
        for key in prop.correlation_keys:
            correlations.setdefault(key, {})[prop.name] = value
    return correlations


def apply() -> None:
    """Install the replacement (idempotent through engine.spiff_patches.apply)."""
    MessageEventDefinition.calculate_correlations = _calculate_correlations
