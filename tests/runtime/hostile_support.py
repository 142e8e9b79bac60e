"""Small BPMN models for the hostile-model tests, and a runner that gives up on a hung call."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
M = 2**61 - 1

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    id="Definitions_{pid}" targetNamespace="http://onething.example/hostile">
  <bpmn:process id="{pid}" isExecutable="true">
"""
TAIL = """  </bpmn:process>
</bpmn:definitions>
"""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def process(pid: str, body: str) -> bytes:
    """A BPMN file holding one executable process with BODY as its elements."""
    return (HEAD.format(pid=pid) + body + TAIL).encode()


def flow(fid: str, source: str, target: str, condition: str | None = None) -> str:
    cond = "" if condition is None else (
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
        f"{_escape(condition)}</bpmn:conditionExpression>")
    return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">' \
           f"{cond}</bpmn:sequenceFlow>\n"


def node(kind: str, nid: str, incoming: list[str], outgoing: list[str], inner: str = "",
         attrs: str = "") -> str:
    ins = "".join(f"<bpmn:incoming>{f}</bpmn:incoming>" for f in incoming)
    outs = "".join(f"<bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing)
    return f'<bpmn:{kind} id="{nid}" {attrs}>{ins}{outs}{inner}</bpmn:{kind}>\n'


def script(nid: str, incoming: str, outgoing: str, text: str) -> str:
    return node("scriptTask", nid, [incoming], [outgoing],
                f"<bpmn:script>{_escape(text)}</bpmn:script>")


def timer(kind: str, expression: str) -> str:
    return (f"<bpmn:timerEventDefinition><bpmn:{kind}>{_escape(expression)}</bpmn:{kind}>"
            "</bpmn:timerEventDefinition>")


def ordinary() -> bytes:
    """start -> review (a user task) -> end."""
    return process("ordinary", node("startEvent", "start", [], ["f1"])
                   + node("userTask", "review", ["f1"], ["f2"])
                   + node("endEvent", "end", ["f2"], [])
                   + flow("f1", "start", "review") + flow("f2", "review", "end"))


def gateway(pid: str, condition: str) -> bytes:
    """start -> prep (script) -> check (exclusive gateway on CONDITION) -> two ends."""
    return process(pid, node("startEvent", "start", [], ["f0"])
                   + script("prep", "f0", "f1", "note = 'before'")
                   + node("exclusiveGateway", "check", ["f1"], ["f_yes", "f_no"],
                          attrs='default="f_no"')
                   + node("endEvent", "yes", ["f_yes"], [])
                   + node("endEvent", "no", ["f_no"], [])
                   + flow("f0", "start", "prep") + flow("f1", "prep", "check")
                   + flow("f_yes", "check", "yes", condition) + flow("f_no", "check", "no"))


def boundary_cycle(pid: str, cycle: str) -> bytes:
    """A user task with a non-interrupting boundary timer CYCLE whose branch ends at once."""
    return process(pid, node("startEvent", "start", [], ["f1"])
                   + node("userTask", "review", ["f1"], ["f2"])
                   + node("boundaryEvent", "tick", [], ["f3"], timer("timeCycle", cycle),
                          attrs='attachedToRef="review" cancelActivity="false"')
                   + node("endEvent", "end", ["f2"], [])
                   + node("endEvent", "reminded", ["f3"], [])
                   + flow("f1", "start", "review") + flow("f2", "review", "end")
                   + flow("f3", "tick", "reminded"))


def within(seconds: float, call: Callable[[], T]) -> tuple[T, float]:
    """Run CALL in a daemon thread; return its result and duration, failing past SECONDS."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(("ok", call()))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            outcome.append(("error", exc))

    started = time.monotonic()
    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), f"still running after {elapsed:.1f} s"
    [(kind, value)] = outcome
    if kind == "error":
        raise value
    return value, elapsed
