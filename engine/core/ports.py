"""Small interfaces to outside systems; adapters/ implements them."""

from __future__ import annotations

from typing import Any, Protocol


class UnknownOperator(LookupError):
    """No connector is configured for a service operator."""


class ServicePort(Protocol):
    """Calls an outside system for a BPMN service task."""

    def call(self, operator: str, params: dict[str, Any]) -> Any:
        """Run OPERATOR with PARAMS and return a JSON-serialisable result.

        Raises UnknownOperator when nothing handles OPERATOR; any other
        exception is a failure of the outside system (retried if configured).
        """
        ...


class FileStore(Protocol):
    """Keeps uploaded material blobs by key (the sha256 of their content)."""

    def put(self, key: str, data: bytes) -> None:
        """Store DATA under KEY; storing the same key again is harmless."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under KEY; raise KeyError when there are none."""
        ...

    def delete(self, key: str) -> None:
        """Forget KEY; a missing key is not an error."""
        ...


class Notifier(Protocol):
    """Hands one rendered message to an outside channel (SMS gateway, mail server)."""

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        """Deliver BODY (with SUBJECT) to ADDRESS on CHANNEL ('sms' or 'email').

        Any exception is a failed attempt: the message stays in the outbox and is
        tried again later.
        """
        ...
