"""Bilingual model texts ("受理结论 Outcome"): the half of the page's language."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_LATIN_START = re.compile(r"[A-Za-z]")


def localize(text: object, lang: str) -> str:
    """The LANG half of a bilingual text such as "受理结论 Outcome" (the whole text otherwise);
    a number or other value as its text, nothing as ''."""
    if text is None:
        return ""
    if not isinstance(text, str):
        return str(text)
    if not text:
        return ""
    if not _CJK.search(text):
        return text
    last_cjk = max(m.end() for m in _CJK.finditer(text))
    tail = text[last_cjk:]
    latin = _LATIN_START.search(tail)
    if latin is None:
        return text
    split = last_cjk + latin.start()
    zh, en = text[:split].strip(), text[split:].strip()
    return en if lang == "en" and en else zh or text
