"""Every page of the tour reads in Chinese: no English sentence, no raw placeholder.

Each demo role signs in with a Chinese browser and walks the pages its navigation offers,
then the pages of a started restaurant case (the applicant's case page, the staff's task
pages); a few refusals are driven too (a form sent incomplete, a request over the size
limit, a page the user may not open). Any visible text that is an ASCII-only sentence (two
or more words of letters) and is not data fails the test, as does a raw placeholder.
A screenshot of each page goes to test-artifacts/zh/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.actions import (
    ROOT,
    accept_at_the_window,
    apply_for_restaurant,
    login,
    logout,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from tests.browser.conftest import ContextFactory
    from tests.browser.server import LiveServer

SHOTS = ROOT / "test-artifacts" / "zh"
ROLES = ("applicant_ent", "clerk_tieying", "reviewer_market", "supervisor", "leader",
         "designer", "admin")
# the pages below a start page walked for a role: (start, link pattern, how many)
DEEPER = {"admin": ("/admin", r"^/admin/(?!dashboard)", 8),
          "designer": ("/studio", r"^/studio/", 2)}
# words that are names of products, formats or units, and the language switch
ALLOWED = {"BPMN", "DMN", "JSON", "YAML", "PDF", "JPG", "JPEG", "PNG", "OFD", "DOCX",
           "XLSX", "MB", "KB", "CSV", "English", "onething", "QR", "ID", "API", "OK",
           "SLA", "URL", "Markdown", "XML", "HTML", "E-mail"}
_WORD = re.compile(r"^[A-Za-z][a-z]*[A-Za-z]?[,.;:!?)]*$")
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_PLACEHOLDER = re.compile(r"\{\{|\{%|%\(|\bitem_code\b|\bNone\b|\bundefined\b|\bnull\b")
# the visible text nodes of a page, with the tag of their element; data is skipped
_TEXTS = """() => {
  const skip = "script,style,code,pre,kbd,samp,[data-code],[data-data],.djs-container,svg";
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip)) continue;
    if (!el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") continue;
    out.push(text);
  }
  document.querySelectorAll("input[type=submit],input[type=button],[placeholder]")
    .forEach(el => { const t = (el.value || el.placeholder || "").trim();
                     if (t && el.getClientRects().length) out.push(t); });
  return out;
}"""


def english_sentence(text: str) -> bool:
    """Whether TEXT is an ASCII-only sentence of two or more words that are not data."""
    if _CJK.search(text) or not text.isascii():
        return False
    words = [w for w in text.split() if _WORD.match(w) and w.strip(",.;:!?)") not in ALLOWED]
    return len(words) >= 2


def leaks(page: Page) -> list[str]:
    """The English sentences and raw placeholders visible on PAGE."""
    found = []
    for text in page.evaluate(_TEXTS):
        if english_sentence(text) or _PLACEHOLDER.search(text):
            found.append(text[:120])
    return found


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # JPEG: a full page encodes several times faster than as PNG, and reads as well
    page.screenshot(path=str(SHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.jpg"),
                    full_page=True, type="jpeg", quality=70)


class Walk:
    """The pages walked so far and what each leaked."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seen: set[str] = set()
        self.found: dict[str, list[str]] = {}
        self.spent: dict[str, float] = {}

    def visit(self, who: str, path: str) -> None:
        """Open PATH (once per user), keep its screenshot, note its leaks."""
        if f"{who} {path}" in self.seen:
            return
        self.seen.add(f"{who} {path}")
        started = time.monotonic()
        self.page.goto(path)
        self.note(who, path)
        self.spent[path] = time.monotonic() - started

    def note(self, who: str, label: str) -> None:
        """Check the page now shown as LABEL."""
        self.page.wait_for_load_state("load")
        _shot(self.page, f"{who}-{label.strip('/').replace('/', '-') or 'home'}")
        wrong = leaks(self.page)
        if wrong:
            self.found[f"{who} {label}"] = wrong

    def links(self, selector: str, pattern: str, limit: int) -> list[str]:
        """Up to LIMIT distinct same-site paths of the links SELECTOR matching PATTERN."""
        hrefs = self.page.eval_on_selector_all(
            selector, "els => els.map(e => e.getAttribute('href'))")
        out: list[str] = []
        for href in hrefs:
            if (href and href.startswith("/") and re.search(pattern, href)
                    and "logout" not in href and href not in out):
                out.append(href.split("#")[0])
        return out[:limit]


def _refusals(walk: Walk, number: str) -> None:
    """The applicant's refusals: an incomplete form, a too large request, a staff page."""
    page = walk.page
    page.goto("/portal/bundles/restaurant/apply")
    page.locator("#submit-application").click()
    page.get_by_test_id("form-error").wait_for()
    walk.note("applicant_ent", "apply-refused")
    too_large = page.request.post("/login", multipart={
        "big": {"name": "big.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-" + b"0" * (26 * 1024 * 1024)}})
    assert too_large.status == 413
    assert "每次最多 25 MB" in too_large.text()
    page.goto(f"/portal/cases/{number}")
    hint = page.get_by_test_id("upload-limits")
    if hint.count():
        assert "单个文件不超过" in hint.inner_text()
    page.goto("/admin")
    walk.note("applicant_ent", "forbidden")
    assert page.get_by_test_id("error-page").count() or "/login" in page.url


def test_every_page_of_the_tour_reads_in_chinese(new_context: ContextFactory,
                                                 live_server: LiveServer) -> None:
    page = new_context(locale="zh-CN").new_page()
    walk = Walk(page)
    number = ""
    for who in ROLES:
        login(page, who)
        if who == "applicant_ent":
            number = apply_for_restaurant(page)
            walk.visit(who, f"/portal/cases/{number}")
            _refusals(walk, number)
        elif who == "clerk_tieying":
            accept_at_the_window(live_server, number)
        walk.note(who, "start")
        for href in walk.links("nav.main-nav a[href]", r".", 10):
            walk.visit(who, href)
            for task in walk.links("main a[href]", r"/(tasks|cases)/", 1):
                walk.visit(who, task)
        if who in DEEPER:
            page.goto(DEEPER[who][0])
            for href in walk.links("main a[href]", DEEPER[who][1], DEEPER[who][2]):
                walk.visit(who, href)
        logout(page)
    assert len(walk.seen) >= 20, sorted(walk.seen)
    report = "\n".join(f"{where}: {texts}" for where, texts in sorted(walk.found.items()))
    assert not walk.found, f"English or placeholders on Chinese pages:\n{report}"


def test_the_walker_tells_sentences_from_data() -> None:
    assert english_sentence("the request body is larger than the 26214400-byte limit")
    assert english_sentence("'123' is too short")
    assert not english_sentence("LL-2026-000003")
    assert not english_sentence("clerk_tieying reviewer@branch_tieying")
    assert not english_sentence("BPMN DMN JSON")
    assert not english_sentence("受理审查 Check")
    assert _PLACEHOLDER.search("(item_code、item_name)")
    assert Path(SHOTS).name == "zh"
