"""Keyset paging tokens: where the previous page ended, as an opaque URL-safe string.

A token is the JSON list of the last row's sort keys, base64url-encoded; reading one back
checks its shape, and anything this server did not give out is InvalidInput on 'after'.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from engine.core.errors import FieldError, InvalidInput


def bad_cursor() -> InvalidInput:
    return InvalidInput("the paging cursor is not one this server gave out",
                        [FieldError("after", "use next_cursor of the previous page")])


def encode(parts: list[Any]) -> str:
    """The token for PARTS (datetimes as ISO text)."""
    plain = [p.isoformat() if isinstance(p, datetime) else p for p in parts]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode(token: str, sizes: tuple[int, ...]) -> list[Any]:
    """The parts of TOKEN, a list of one of SIZES lengths."""
    try:
        found = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as err:
        raise bad_cursor() from err
    if not isinstance(found, list) or len(found) not in sizes:
        raise bad_cursor()
    return found


def moment(part: Any) -> datetime:
    """A time part of a token: ISO text with its offset."""
    if isinstance(part, str):
        try:
            when = datetime.fromisoformat(part)
        except ValueError:
            raise bad_cursor() from None
        if when.tzinfo is not None:
            return when
    raise bad_cursor()
