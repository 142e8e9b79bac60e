"""Tiny files with the right (or wrong) magic bytes, and a restaurant case to hand them to."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases
from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.design import deployments

BUNDLE = Path(__file__).resolve().parents[3] / "bpmn" / "bundles" / "restaurant"
ADMIN = Actor("root", is_admin=True)
CLERK = Actor("clerk_tieying", frozenset({"window_clerk"}))
ANSWERS = {"has_licence": False, "area": 180, "menu": "hot_food", "outdoor_sign": False}

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run"


def applicant(username: str = "zhang_san") -> Actor:
    return Actor(username, frozenset({"applicant"}))


def zipped(*members: str) -> bytes:
    """A zip package holding MEMBERS (as OFD, DOCX and XLSX files are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def start_restaurant(factory: sessionmaker[Session], rt: Any, who: str = "zhang_san",
                     by: Actor | None = None) -> int:
    """Deploy the shipped restaurant bundle and start a case of applicant WHO (as BY)."""
    with unit_of_work(factory) as session:
        deployments.deploy(session, deployments.read_paths([BUNDLE]), actor=ADMIN,
                           bundle_key="restaurant")
    data = {"applicant": "乐陵市铁营镇张三餐馆", "answers": ANSWERS}
    with unit_of_work(factory) as session:
        # a clerk starting it has checked at the window who the applicant is (the desk)
        case = cases.start_case(rt, session, "restaurant", data, actor=by or applicant(who),
                                applicant=who)
        assert case.status == "running", case.error_message
        return case.id
