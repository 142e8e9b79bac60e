"""Parse untrusted XML uploads without ever expanding entities or touching disk or network."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from engine.core.errors import DiagramInvalid, Problem

# A DTD is the only way into XXE and entity-expansion bombs; BPMN and DMN never need one,
# so any declaration is refused before lxml sees the document.
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ENCODINGS = ("utf-16", "utf-32")


def _parser() -> Any:
    # A fresh parser per document: lxml parsers keep state and are not thread-safe.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_blank_text=False,
    )


def _find_declaration(data: bytes) -> tuple[str, int] | None:
    """Return the declaration keyword and its line if the bytes declare a DTD or entity."""
    candidates = [data]
    # Wide encodings hide the ASCII pattern; look at their decoded text too.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        for encoding in _ENCODINGS:
            try:
                candidates.append(data.decode(encoding).encode("utf-8"))
            except UnicodeDecodeError:
                continue
    for text in candidates:
        match = _DECLARATION.search(text)
        if match:
            line = text.count(b"\n", 0, match.start()) + 1
            return match.group(1).decode("ascii").upper(), line
    return None


def parse_xml(filename: str, data: bytes) -> Any:
    """Parse one uploaded XML file into an lxml tree, refusing DTDs and entities."""
    found = _find_declaration(data)
    if found is not None:
        keyword, line = found
        raise DiagramInvalid([Problem(
            filename,
            f"XML {keyword} declarations are not allowed (entities could read files "
            f"or expand without bound); remove the <!{keyword} ...> line",
            line=line,
        )])
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=_parser()))
    except etree.XMLSyntaxError as exc:
        where = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise DiagramInvalid([Problem(filename, f"malformed XML: {exc.msg}", line=where)]) from None
    except (ValueError, etree.LxmlError) as exc:
        raise DiagramInvalid([Problem(filename, f"malformed XML: {exc}")]) from None
    docinfo = tree.docinfo
    # Second line of defence in case an encoding trick slipped past the byte scan.
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DiagramInvalid([Problem(filename, "XML DOCTYPE declarations are not allowed", 1)])
    return tree


def local_name(element: Any) -> str:
    """Return an element's tag without its namespace ('' for comments and PIs)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element: Any) -> str:
    """Return an element's namespace URI ('' when it has none)."""
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return str(tag[1:].partition("}")[0])


# Elements that hold an expression rather than being a model element a user would look for.
_NOT_OWNERS = frozenset({
    "conditionExpression", "condition", "timeDuration", "timeDate", "timeCycle", "script",
    "loopCardinality", "completionCondition", "loopCondition", "formalExpression",
    "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "extensionElements",
    "loopDataInputRef", "inputDataItem", "text",
})


def owner_element(element: Any) -> Any:
    """Return the nearest enclosing model element with an id (the flow, task or event)."""
    current = element
    while current is not None:
        name = local_name(current)
        if (current.get("id") and name not in _NOT_OWNERS and not name.endswith("EventDefinition")
                and namespace(current).startswith("http://www.omg.org/spec/")):
            return current
        current = current.getparent()
    return element
