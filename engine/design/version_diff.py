"""Compare two versions of a bundle: which files changed, and which BPMN elements in them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from engine.core.errors import InvalidInput
from engine.design.studio import files_of, is_bpmn
from engine.models import Deployment
from engine.runtime.diagrams.safe_xml import local_name, namespace, parse_xml

# diagram interchange: where shapes sit, not what the process does
LAYOUT_NAMESPACES = frozenset({
    "http://www.omg.org/spec/BPMN/20100524/DI",
    "http://www.omg.org/spec/DD/20100524/DC",
    "http://www.omg.org/spec/DD/20100524/DI",
})


@dataclass(frozen=True)
class Element:
    """One BPMN element with an id: its kind, its name and a digest of what it says."""

    id: str
    type: str
    name: str | None
    digest: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name}


def _is_node(node: Any) -> bool:
    """Whether NODE is an element (not a comment or processing instruction)."""
    return isinstance(node.tag, str)


def _signature(element: Any) -> str:
    """ELEMENT's tag, attributes, text and id-less children; elements with ids stand alone."""
    parts = [element.tag, repr(sorted(element.attrib.items())), (element.text or "").strip()]
    for child in element:
        if _is_node(child) and "id" not in child.attrib \
                and namespace(child) not in LAYOUT_NAMESPACES:
            parts.append(_signature(child))
    return "\x1f".join(parts)


def elements(name: str, data: bytes) -> dict[str, Element]:
    """The elements with an id in one BPMN file, by id, leaving out the layout."""
    root = parse_xml(name, data).getroot()
    found: dict[str, Element] = {}
    for node in root.iter():
        if not _is_node(node) or namespace(node) in LAYOUT_NAMESPACES:
            continue
        element_id = node.attrib.get("id")
        if not element_id or node is root:
            continue
        digest = hashlib.sha256(_signature(node).encode("utf-8")).hexdigest()
        found[element_id] = Element(element_id, local_name(node), node.attrib.get("name"), digest)
    return found


def _element_changes(name: str, old: bytes, new: bytes) -> dict[str, Any]:
    before, after = elements(name, old), elements(name, new)
    changed = []
    for element_id in sorted(before.keys() & after.keys()):
        was, now = before[element_id], after[element_id]
        if was.digest == now.digest:
            continue
        what = [label for label, differs in (("type", was.type != now.type),
                                              ("name", was.name != now.name)) if differs]
        changed.append({**now.as_dict(), "before": was.as_dict(), "what": what or ["details"]})
    added = [after[i].as_dict() for i in sorted(after.keys() - before.keys())]
    removed = [before[i].as_dict() for i in sorted(before.keys() - after.keys())]
    return {"added": added, "removed": removed, "changed": changed,
            "layout_only": not (added or removed or changed)}


def compare(old: Deployment, new: Deployment) -> dict[str, Any]:
    """What changed from version OLD to version NEW of a bundle."""
    if old.bundle_key != new.bundle_key:
        raise InvalidInput(f"versions {old.id} and {new.id} belong to different bundles "
                           f"({old.bundle_key}, {new.bundle_key})")
    before, after = files_of(old), files_of(new)
    common = sorted(before.keys() & after.keys())
    changed = [n for n in common if before[n] != after[n]]
    diagrams = {name: _element_changes(name, before[name], after[name])
                for name in changed if is_bpmn(name)}
    return {
        "bundle": new.bundle_key,
        "from": {"id": old.id, "version": old.version},
        "to": {"id": new.id, "version": new.version},
        "files": {"added": sorted(after.keys() - before.keys()),
                  "removed": sorted(before.keys() - after.keys()),
                  "changed": changed,
                  "unchanged": [n for n in common if before[n] == after[n]]},
        "diagrams": diagrams,
    }
