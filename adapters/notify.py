"""Notifier adapters: the offline default that writes SMS and e-mail to the log."""

from __future__ import annotations

import hashlib
import logging

log = logging.getLogger(__name__)


class LogNotifier:
    """A Notifier for development and demos: logs each message instead of sending it.

    In-app messages need no adapter (they are the inbox); this one stands in for the SMS
    gateway and the mail server. The log shows a digest of the address, never the
    address itself.
    """

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        """Log that a message on CHANNEL would go to ADDRESS now."""
        digest = hashlib.sha256(address.encode("utf-8")).hexdigest()[:10]
        log.info("%s to #%s: %s (%d characters)", channel, digest, subject, len(body))
