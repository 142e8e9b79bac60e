"""The page catalogues are complete: every text the pages and views mark for translation
has a Chinese and an English entry, none fuzzy, none stale, placeholders intact."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.ui.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "web" / "translations"
LOCALES = ("zh_CN", "en")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_RAW_HEADER = re.compile(r'<th scope="col"[^>]*>\s*[a-z_]+\s*</th>')


@cache
def source_messages() -> dict[str, list[str]]:
    """Each msgid that babel.cfg's sources mark, with where it is used."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@cache
def catalogue(locale: str) -> Catalog:
    """The .po catalogue of LOCALE as the app compiles it."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def test_the_sources_mark_the_page_texts() -> None:
    found = source_messages()
    # a sample from templates, macros and views: the extraction really reads all three
    assert {"Sign in", "Filter", "Overdue only", "Wrong username or password."} <= set(found)
    assert len(found) > 300


@pytest.mark.parametrize("locale", LOCALES)
def test_every_marked_text_is_translated(locale: str) -> None:
    cat = catalogue(locale)
    missing = {msgid: where[:2] for msgid, where in source_messages().items()
               if msgid not in cat or not cat[msgid].string}
    assert not missing, f"untranslated in {locale} (run pybabel extract/update): {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_entry_is_fuzzy_obsolete_or_unused(locale: str) -> None:
    cat = catalogue(locale)
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    unused = [m.id for m in cat if m.id and m.id not in source_messages()]
    assert not fuzzy, f"fuzzy entries in {locale}: {fuzzy}"
    assert not cat.obsolete, f"obsolete (#~) entries in {locale}: {list(cat.obsolete)}"
    assert not unused, f"entries no page uses any more in {locale}: {unused}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale: str) -> None:
    cat = catalogue(locale)
    broken = [m.id for m in cat if m.id and m.string
              and sorted(_PLACEHOLDER.findall(str(m.id)))
              != sorted(_PLACEHOLDER.findall(str(m.string)))]
    assert not broken, f"placeholders differ in {locale}: {broken}"


def test_chinese_is_chinese() -> None:
    cat = catalogue("zh_CN")
    # a text with English words (not only placeholders) must read as Chinese
    worded = [m for m in cat if m.id and re.search("[A-Za-z]", _PLACEHOLDER.sub("", str(m.id)))]
    latin_only = [m.id for m in worded if not re.search("[\u4e00-\u9fff]", str(m.string))]
    assert not latin_only, f"zh_CN texts without Chinese: {latin_only}"


def test_filter_buttons_say_filter_not_apply_for_a_permit(
        client: FlaskClient, person: Callable[..., str]) -> None:
    person("clerk_ui", "window_clerk")
    sign_in(client, "clerk_ui")
    zh = client.get("/workbench", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    button = re.search(r'<button[^>]*id="filter-apply"[^>]*>([^<]*)</button>', zh)
    assert button and button.group(1).strip() == "筛选"
    assert '<label for="filter-overdue">仅看超期</label>' in zh


def test_dashboard_headers_are_translated(client: FlaskClient,
                                          person: Callable[..., str]) -> None:
    person("root_ui", admin=True)
    sign_in(client, "root_ui")
    page = client.get("/admin/dashboard", headers={"Accept-Language": "zh-CN"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert not _RAW_HEADER.findall(html), _RAW_HEADER.findall(html)
    assert '<th scope="col">超期数</th>' in html
