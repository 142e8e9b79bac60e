"""Every audit event kind the engine writes has a name a person reads, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from web.ui import names

ENGINE = Path(__file__).resolve().parents[2] / "engine"
# the kind is the first string argument of audit.record; f-strings name a family
_RECORD = re.compile(r'audit\.record\(\s*[^"\n]*?"([a-z_]+\.[a-z_]*)"')


def written_kinds() -> set[str]:
    kinds: set[str] = set()
    for source in ENGINE.rglob("*.py"):
        kinds.update(_RECORD.findall(source.read_text(encoding="utf-8")))
    return kinds


def test_every_written_kind_is_named(app: Flask) -> None:
    kinds = written_kinds()
    assert {"draft.submitted", "cooperation.asked", "task.delegated"} <= kinds
    families = {k for k in kinds if k.endswith("_")}  # f"rating.follow_up_{step}"
    unnamed = sorted(k for k in kinds - families if k not in names.EVENTS)
    assert unnamed == []
    assert all(any(e.startswith(f) for e in names.EVENTS) for f in families)
    for lang, expected in (("zh-CN", "提交申请"), ("en", "application submitted")):
        with app.test_request_context(headers={"Accept-Language": lang}):
            assert names.event_name("draft.submitted") == expected
            if lang == "zh-CN":
                assert names.status_name("assigned") == "已指派"
                ascii_only = [k for k in names.EVENTS if names.event_name(k).isascii()]
                assert ascii_only == []
