"""Languages of the pages: Flask-Babel set-up, the locale choice and office-time formatting.

The locale comes, in order, from the signed-in user's setting, the ``lang`` cookie of an
anonymous visitor, and the browser's Accept-Language; Chinese is the default. The
catalogues in ``web/translations/*/LC_MESSAGES/messages.po`` are compiled to ``.mo``
files under the instance folder when the app starts (only when a ``.po`` is newer), so a
fresh clone needs no extra build step.
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, format_date, format_datetime, get_locale, gettext

log = logging.getLogger(__name__)

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LANG_COOKIE = "lang"
SOURCE = Path(__file__).resolve().parents[1] / "translations"
DEFAULT_TIMEZONE = "Asia/Shanghai"
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def normalise(value: str | None) -> str | None:
    """The supported locale VALUE names (zh, zh-CN, zh_cn, en-US ...), or None."""
    if not value:
        return None
    text = value.strip().replace("-", "_").lower()
    if text.startswith("zh"):
        return "zh_CN"
    if text.startswith("en"):
        return "en"
    return None


def select_locale() -> str:
    """The locale of this request: user setting, then cookie, then Accept-Language."""
    chosen = normalise(getattr(g, "user_locale", None))
    if chosen:
        return chosen
    chosen = normalise(request.cookies.get(LANG_COOKIE))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return normalise(best) or DEFAULT_LOCALE


def _(text: str, **variables: Any) -> str:
    """TEXT translated to the page's language, with %(name)s VARIABLES filled in."""
    return str(gettext(text, **variables))


def lang() -> str:
    """The short language code of this request (zh or en), as the engine's texts use it."""
    return "en" if str(get_locale()) == "en" else "zh"


def compile_catalogues(source: Path, target: Path) -> None:
    """Write TARGET/<locale>/LC_MESSAGES/messages.mo for each .po under SOURCE when stale."""
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        # Flask-Babel looks catalogues up under Babel's own name of the locale (zh_Hans_CN)
        name = str(Locale.parse(po.parent.parent.name))
        mo = target / name / "LC_MESSAGES" / "messages.mo"
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        # write beside and rename: several processes may start at once
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, mo)
        log.info("compiled %s", mo)


def office_datetime(value: datetime | str | None, style: str = "medium") -> str:
    """VALUE (a datetime or an ISO 8601 text) in the office time zone, in the page's
    language ('' for None; a text that is no time is shown as it is)."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return str(format_datetime(value, style))


def office_date(value: datetime | None) -> str:
    """The date of VALUE in the office time zone ('' for None)."""
    if value is None:
        return ""
    return str(format_date(value, "medium"))


def init(app: Flask) -> None:
    """Compile the catalogues and install Flask-Babel on APP."""
    target = Path(app.config.get("TRANSLATIONS_CACHE")
                  or os.path.join(app.instance_path, "translations"))
    compile_catalogues(SOURCE, target)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE",
                          os.environ.get("ONETHING_TIMEZONE") or DEFAULT_TIMEZONE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    Babel(app, locale_selector=select_locale)

    @app.context_processor
    def languages() -> dict[str, Any]:
        return {"LOCALES": LOCALES, "LANGUAGE_NAMES": LANGUAGE_NAMES, "lang": lang}

    app.add_template_filter(office_datetime, "datetime")
    app.add_template_filter(office_date, "date")
