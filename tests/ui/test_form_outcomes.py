"""Which fields of a form belong to which outcome (web/ui/form_outcomes.py)."""

from __future__ import annotations

from web.ui.form_outcomes import outcomes


def test_fields_follow_the_conditions_of_the_form() -> None:
    schema = {
        "type": "object",
        "properties": {"d": {"type": "string"}, "why": {"type": "string"},
                       "where": {"type": "string"}, "note": {"type": "string"}},
        "allOf": [
            {"if": {"properties": {"d": {"const": "no"}}, "required": ["d"]},
             "then": {"required": ["why"]}},
            {"if": {"properties": {"d": {"enum": ["post", "door"]}}, "required": ["d"]},
             "then": {"required": ["where"], "properties": {"why": {"minLength": 5}}}},
        ],
    }
    found = outcomes(schema)
    assert found["why"] == [("d", ["no"]), ("d", ["post", "door"])]
    assert found["where"] == [("d", ["post", "door"])]
    assert "note" not in found and "d" not in found


def test_conditions_it_cannot_read_leave_every_field_shown() -> None:
    # a test of two fields, a pattern, a non-mapping: nothing is hidden
    schema = {"allOf": [
        {"if": {"properties": {"a": {"const": 1}, "b": {"const": 2}}}, "then": {"required": ["x"]}},
        {"if": {"properties": {"a": {"pattern": "^y"}}}, "then": {"required": ["y"]}},
        {"if": True, "then": {"required": ["z"]}},
        "not a branch",
    ]}
    assert outcomes(schema) == {}
    assert outcomes(None) == {}
    # a top-level if/then counts like a branch of allOf
    assert outcomes({"if": {"properties": {"k": {"const": True}}}, "then": {"required": ["v"]}}
                    ) == {"v": [("k", [True])]}
