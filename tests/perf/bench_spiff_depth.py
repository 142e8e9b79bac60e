"""Time per user-task completion in a looping case, with and without engine.spiff_patches.

Run ``python -m tests.perf.bench_spiff_depth [rounds ...]``.  Each measurement runs
in a fresh child process so the unpatched baseline sees pristine SpiffWorkflow.
Unpatched, a loop deeper than ~1,000 tree levels loses its READY task (reported
"lost"), so the baseline stops there.  Keep runs short: the machine is shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

DEFAULT_ROUNDS = (10, 100, 1000, 2000)


def measure(rounds: int, patched: bool, save_every: int) -> dict[str, object]:
    """Drive the simple loop for ``rounds`` rounds in this process and time it."""
    if patched:
        import engine.runtime.spiff_patches

        engine.spiff_patches.apply()
    from tests.runtime.long_cases import driving

    ser = driving.serializer()
    started = time.perf_counter()
    workflow = driving.start(driving.MODELS["loop"], rounds)
    done, serializing = 0, 0.0
    while done < rounds:
        ready = driving.ready_user_tasks(workflow)
        if len(ready) != 1 or workflow.is_completed():
            return {"rounds": rounds, "patched": patched, "lost_at": done}
        driving.complete(workflow, ready[0], note=done)
        done += 1
        if save_every and done % save_every == 0:
            mark = time.perf_counter()
            workflow = ser.deserialize_json(ser.serialize_json(workflow))
            serializing += time.perf_counter() - mark
    total = time.perf_counter() - started
    return {"rounds": rounds, "patched": patched, "total_s": round(total, 3),
            "ms_per_completion": round(1000 * total / rounds, 3),
            "serializer_s": round(serializing, 3), "ok": workflow.is_completed()}


def run_child(rounds: int, patched: bool, save_every: int, timeout: float) -> dict[str, object]:
    """Measure in a fresh interpreter; report a timeout or a crash as such."""
    code = ("import json, sys; from tests.perf.bench_spiff_depth import measure; "
            f"print(json.dumps(measure({rounds}, {patched}, {save_every})))")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"rounds": rounds, "patched": patched, "error": f"over {timeout:.0f} s"}
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"rounds": rounds, "patched": patched, "error": last}
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str]) -> None:
    """Print one line per (rounds, patched) measurement."""
    rounds_list = [int(a) for a in argv] or list(DEFAULT_ROUNDS)
    for patched in (False, True):
        for rounds in rounds_list:
            result = run_child(rounds, patched, save_every=100, timeout=300)
            print(json.dumps(result), flush=True)
            if not patched and ("lost_at" in result or "error" in result):
                break  # deeper baselines cannot work either


if __name__ == "__main__":
    main(sys.argv[1:])
