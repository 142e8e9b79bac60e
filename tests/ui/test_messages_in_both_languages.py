"""Every refusal a person reads, in the page's language: form errors from the validator's
kind and parameters (never its English, never a regex), engine refusals, the upload limit."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import RequestEntityTooLarge

from engine.casework import forms as engine_forms
from engine.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from tests.ui.conftest import csrf_of
from web import errors as api_errors
from web.ui import engine_text, forms, upload_limits

SCHEMA = {
    "type": "object",
    "required": ["name", "phone", "agree"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "title": "经营者姓名 Operator", "minLength": 5},
        "phone": {"type": "string", "title": "联系电话 Phone",
                  "description": "手机或座机号码 A mobile or landline number",
                  "pattern": "^[0-9+\\- ]{5,20}$"},
        "seats": {"type": "integer", "maximum": 200},
        "agree": {"type": "boolean", "const": True},
        "items": {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"type": "string", "enum": ["a", "b"]}},
    },
}
BAD = {"name": "123", "phone": "abc", "seats": 500, "agree": False,
       "items": ["a", "a", "c"], "extra": 1}


def _errors(app: Flask, language: str, data: dict[str, object]) -> dict[str, str]:
    with app.test_request_context(headers={"Accept-Language": language}):
        return forms.check(SCHEMA, data)


def test_form_errors_are_said_in_chinese_from_their_kind(app: Flask) -> None:
    errors = _errors(app, "zh-CN", BAD)
    assert errors["name"] == "至少 5 个字符"
    assert errors["phone"] == "格式不正确：手机或座机号码"
    assert errors["seats"] == "不能大于 200"
    assert errors["agree"] == "必须勾选"
    assert errors["items"] == "不能重复选择同一项"
    assert errors["items/2"] == "必须从给出的选项中选择"
    assert errors["(form)"] == "本表单不接受字段 extra"
    shown = " ".join(errors.values())
    for english in ("too short", "was expected", "does not match", "^[0-9", "is not valid"):
        assert english not in shown


def test_a_format_error_names_the_format_wanted(app: Flask) -> None:
    wrong = FieldError("email", "'nobody' is not a 'email'", "format", {"format": "email"})
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert forms.field_message(wrong) == "必须是电子邮箱地址，例如 name@example.com"
        unknown = FieldError("x", "is frobbed", "frobnicate", {})
        assert forms.field_message(unknown) == "填写不正确"


def test_missing_fields_and_the_same_errors_in_english(app: Flask) -> None:
    assert _errors(app, "zh-CN", {})["phone"] == "此项必填"
    errors = _errors(app, "en", BAD)
    assert errors["name"] == "must be at least 5 characters long"
    assert errors["phone"] == "is not in the right format: A mobile or landline number"
    assert errors["agree"] == "must be ticked"


def test_the_api_keeps_english_and_carries_kind_and_parameters() -> None:
    with pytest.raises(InvalidInput) as caught:
        engine_forms.validate(SCHEMA, BAD)
    fields = {f["path"]: f for f in caught.value.details()["fields"]}
    assert fields["name"]["message"] == "'123' is too short"
    assert fields["name"]["kind"] == "minLength"
    assert fields["name"]["params"]["limit"] == 5
    assert fields["phone"]["kind"] == "pattern"
    assert fields["phone"]["params"]["hint"].startswith("手机或座机号码")
    assert fields["(form)"]["params"]["names"] == ["extra"]


def test_engine_refusals_are_translated_with_their_parameters(app: Flask) -> None:
    err = Forbidden.of("%(user)s may not see case %(case)s", user="li", case="LL-2026-000003")
    assert err.message == "li may not see case LL-2026-000003"
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert engine_text.say(err) == "li 无权查看办件 LL-2026-000003"
        # a refusal no catalogue holds: a general sentence, never English, on a zh page
        assert engine_text.say(Conflict("the widget frobbed twice")) == (
            "已无法进行此操作：办件或待办已发生变化。")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert engine_text.say(err) == "li may not see case LL-2026-000003"
        assert engine_text.say(Conflict("the widget frobbed twice")) == (
            "the widget frobbed twice")


def test_the_upload_limit_is_the_configured_one_in_megabytes(app: Flask) -> None:
    app.config["MATERIALS_MAX_BYTES"] = 10 * 1024 * 1024
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert upload_limits.hint() == (
            "单个文件不超过 10 MB，格式：PDF、PNG、JPG、OFD、DOCX、XLSX")
        widget = upload_limits.widget()
        assert widget["max_bytes"] == 10 * 1024 * 1024
        assert widget["too_large"] == "该文件超过 10 MB，请选择较小的文件。"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert upload_limits.hint() == (
            "One file of at most 10 MB; formats: PDF, PNG, JPG, OFD, DOCX, XLSX")


def test_an_oversized_request_is_refused_in_megabytes(app: Flask,
                                                       client: FlaskClient) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    token = csrf_of(client)
    page = client.post("/login", data={"csrf_token": token, "x": "y" * (2 * 1024 * 1024)},
                       headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 413
    text = page.get_data(as_text=True)
    assert "每次最多 1 MB" in text
    assert "byte" not in text
    with app.test_request_context("/api/v1/cases", method="POST"):
        api = api_errors.http_error(RequestEntityTooLarge())
    assert api.status_code == 413
    assert api.get_json()["detail"] == "the request body is larger than the 1 MB limit"
    assert api.get_json()["limit_mb"] == 1
