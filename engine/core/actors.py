"""Who is acting: a person with groups, an admin, or the engine itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    username: str
    groups: frozenset[str] = field(default_factory=frozenset)
    is_admin: bool = False
    # set when acting for someone else (agency): audit shows both
    on_behalf_of: str | None = None

    @property
    def label(self) -> str:
        if self.on_behalf_of:
            return f"{self.username} for {self.on_behalf_of}"
        return self.username


SYSTEM = Actor("system", is_admin=True)
