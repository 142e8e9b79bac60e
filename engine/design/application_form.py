"""The application form of a bundle with a guide: the applicant's details and the answers
to its situational questions, as one JSON Schema. It is the start contract of such a
bundle: a case of it starts with these fields and no others."""

from __future__ import annotations

from typing import Any

from engine.design import guides

PHONE_PATTERN = r"^[0-9+\- ]{5,20}$"

_APPLICANT_TEXTS = {
    "applicant": ("申请人（企业名称或姓名）", "Applicant (enterprise or person)"),
    "id_number": ("统一社会信用代码或身份证号", "Credit code or ID number"),
    "contact_name": ("联系人", "Contact person"),
    "contact_phone": ("联系电话", "Contact phone"),
    "address": ("经营场所地址", "Address of the premises"),
}


def _text(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def answers_schema(guide: guides.Guide, lang: str = "zh") -> dict[str, Any]:
    """The guide's situational questions as a JSON Schema object, titles in LANG."""
    properties: dict[str, Any] = {}
    for question in guide.questions:
        title = question.text.get(lang)
        if question.type == "boolean":
            properties[question.id] = {"type": "boolean", "title": title}
        elif question.type == "number":
            properties[question.id] = {"type": "number", "minimum": 0, "title": title}
        else:
            properties[question.id] = {"type": "string", "title": title, "oneOf": [
                {"const": c.value, "title": c.text.get(lang)} for c in question.choices]}
    return {"type": "object", "properties": properties,
            "required": [q.id for q in guide.questions]}


def application_schema(guide: guides.Guide, lang: str = "zh") -> dict[str, Any]:
    """The merged application form of a bundle: applicant details and situational answers."""
    texts = {name: _text(pair, lang) for name, pair in _APPLICANT_TEXTS.items()}
    answers = answers_schema(guide, lang)
    answers["title"] = "您的情形" if lang != "en" else "Your situation"
    return {
        "type": "object",
        "required": ["applicant", "id_number", "contact_phone", "answers"],
        "properties": {
            "applicant": {"type": "string", "title": texts["applicant"], "minLength": 2,
                          "maxLength": 200},
            "id_number": {"type": "string", "title": texts["id_number"], "minLength": 6,
                          "maxLength": 30},
            "contact_name": {"type": "string", "title": texts["contact_name"],
                             "maxLength": 100},
            "contact_phone": {"type": "string", "title": texts["contact_phone"],
                              "pattern": PHONE_PATTERN},
            "address": {"type": "string", "title": texts["address"], "maxLength": 300},
            "answers": answers,
        },
    }
