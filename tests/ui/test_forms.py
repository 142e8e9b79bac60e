"""JSON Schema forms: fields from a schema, posted values read back, errors per field."""

from __future__ import annotations

from flask import Flask
from werkzeug.datastructures import MultiDict

from web.ui import forms

SCHEMA = {
    "type": "object",
    "required": ["outcome", "contact"],
    "properties": {
        "outcome": {"type": "string", "title": "受理结论 Outcome",
                    "oneOf": [{"const": "accept", "title": "受理 Accept"},
                              {"const": "reject", "title": "不予受理 Reject"}]},
        "missing": {"type": "array", "title": "缺少材料 Missing",
                    "items": {"type": "string", "enum": ["id_card", "lease"]}},
        "copies": {"type": "integer", "title": "份数 Copies", "minimum": 1},
        "urgent": {"type": "boolean", "title": "加急 Urgent"},
        "note": {"type": "string", "title": "备注 Note", "maxLength": 1000},
        "contact": {"type": "object", "title": "联系人 Contact", "required": ["phone"],
                    "properties": {"phone": {"type": "string", "title": "电话 Phone",
                                             "pattern": "^[0-9]{5,}$"}}},
    },
}


def test_bilingual_titles_show_the_pages_half() -> None:
    assert forms.localize("受理结论 Outcome", "en") == "Outcome"
    assert forms.localize("受理结论 Outcome", "zh") == "受理结论"
    assert forms.localize("Outcome", "zh") == "Outcome"
    assert forms.localize("经营场所使用证明（产权证明或租赁合同）", "en") == (
        "经营场所使用证明（产权证明或租赁合同）")


def test_fields_follow_the_schema_and_ui_order(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        fields = forms.build_fields(SCHEMA, {"missing": ["lease"], "copies": 2}, {}, "en",
                                    {"ui:order": ["note", "outcome"],
                                     "note": {"ui:widget": "textarea"}})
    by_name = {f.name: f for f in fields}
    assert [f.name for f in fields][:2] == ["note", "outcome"]
    assert by_name["outcome"].widget == "select" and by_name["outcome"].required
    assert [o.label for o in by_name["outcome"].options] == ["Accept", "Reject"]
    assert by_name["missing"].widget == "checkboxes" and by_name["missing"].selected("lease")
    assert by_name["copies"].widget == "integer" and by_name["copies"].attrs == {"min": 1}
    assert by_name["urgent"].widget == "checkbox" and by_name["note"].widget == "textarea"
    phone = by_name["contact"].children[0]
    assert (phone.name, phone.path, phone.id) == ("contact.phone", "contact/phone",
                                                  "f-contact-phone")


def test_posted_values_are_typed_and_errors_named_per_field(app: Flask) -> None:
    posted = MultiDict([("outcome", "accept"), ("missing", "id_card"), ("missing", "lease"),
                        ("copies", "two"), ("contact.phone", "12"), ("note", "")])
    with app.test_request_context(headers={"Accept-Language": "en"}):
        data, problems = forms.read_form(SCHEMA, posted)
        errors = forms.check(SCHEMA, data, problems)
        fields = forms.build_fields(SCHEMA, data, errors, "en")
    assert data["missing"] == ["id_card", "lease"] and data["urgent"] is False
    assert "note" not in data
    assert errors["copies"] == "must be a whole number"
    assert "contact/phone" in errors and "outcome" not in errors
    phone = next(f for f in fields if f.name == "contact").children[0]
    assert phone.error == errors["contact/phone"] and phone.value == "12"
    with app.test_request_context():
        fixed, problems = forms.read_form(SCHEMA, MultiDict([
            ("outcome", "accept"), ("copies", "3"), ("contact.phone", "13800000000")]))
        assert forms.check(SCHEMA, fixed, problems) == {}
        assert fixed["copies"] == 3 and fixed["contact"] == {"phone": "13800000000"}
        missing = forms.check(SCHEMA, {}, {})
    assert set(missing) == {"outcome", "contact"}
