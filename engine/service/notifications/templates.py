"""The message templates, in Chinese and English, filled from a payload."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.core.errors import InvalidInput

LOCALES = ("zh", "en")


@dataclass(frozen=True)
class Template:
    """Subject and body of one message in one language; {name} fields come from the payload."""

    subject: str
    body: str


TEMPLATES: dict[str, dict[str, Template]] = {
    "case_accepted": {
        "zh": Template("您的申请已受理：{case_number}",
                       "您申请的“{title}”已于{accepted_on}受理，办件编号{case_number}。"
                       "{promise_zh}请凭办件编号查询进度。"),
        "en": Template("Your application was accepted: {case_number}",
                       "Your application \"{title}\" was accepted on {accepted_on} under "
                       "case number {case_number}. {promise_en}Use the case number to "
                       "follow its progress."),
    },
    "supplement_requested": {
        "zh": Template("请补正材料：{case_number}",
                       "您的办件{case_number}需一次性补正以下材料：{materials_zh}。{note}"
                       "补正期间暂停计算承诺时限。"),
        "en": Template("Please supplement your materials: {case_number}",
                       "Case {case_number} needs these materials, all at once: "
                       "{materials_en}. {note}The commitment clock stops until you supply them."),
    },
    "item_decided": {
        "zh": Template("办理结果：{item_name_zh}",
                       "您的办件{case_number}中“{item_name_zh}”{decision_zh}。{detail_zh}"),
        "en": Template("Decision: {item_name_en}",
                       "In case {case_number}, \"{item_name_en}\" was {decision_en}. {detail_en}"),
    },
    "ready_for_pickup": {
        "zh": Template("办理结果已出：{case_number}",
                       "您的办件{case_number}各事项已全部办结，请选择窗口领取、免费邮寄或送证上门。"),
        "en": Template("Your results are ready: {case_number}",
                       "Every item of case {case_number} is decided. Choose how to receive "
                       "the results: at the window, by post or delivered to your door."),
    },
    "appointment_confirmed": {
        "zh": Template("预约成功：{office_zh} {day} {starts}",
                       "您已预约{office_zh}{day} {starts}-{ends}办理业务"
                       "（预约号{appointment_id}）。"
                       "{after_hours_zh}如需改约或取消，请提前操作。"),
        "en": Template("Appointment booked: {office_en} {day} {starts}",
                       "You are booked at {office_en} on {day}, {starts}-{ends} (appointment "
                       "{appointment_id}). {after_hours_en}Move or cancel it in advance if "
                       "your plans change."),
    },
    "appointment_reminder": {
        "zh": Template("预约提醒：明天{starts}",
                       "提醒您：您预约了{office_zh}{day} {starts}-{ends}办理业务"
                       "（预约号{appointment_id}），"
                       "请携带身份证件和相关材料按时前往。"),
        "en": Template("Reminder: your appointment tomorrow at {starts}",
                       "A reminder of your appointment at {office_en} on {day}, {starts}-{ends} "
                       "(appointment {appointment_id}). Please bring your ID and materials."),
    },
    "visit_assigned": {
        "zh": Template("上门服务已安排",
                       "工作人员{clerk}将于{window_zh}上门为您服务（地址：{address}）。"),
        "en": Template("Your door-to-door visit is arranged",
                       "{clerk} will visit you at {address} between {window_en}."),
    },
}


class _Fields(dict[str, Any]):
    """A payload that leaves unknown {names} empty instead of failing the whole message."""

    def __missing__(self, key: str) -> str:
        return ""


def render(key: str, locale: str, payload: Mapping[str, Any]) -> tuple[str, str]:
    """The subject and body of template KEY in LOCALE, filled from PAYLOAD."""
    versions = TEMPLATES.get(key)
    if versions is None:
        raise InvalidInput(f"no notification template '{key}'")
    template = versions.get(locale) or versions["zh"]
    fields = _Fields(payload)
    formatter = string.Formatter()
    return (formatter.vformat(template.subject, (), fields).strip(),
            formatter.vformat(template.body, (), fields).strip())
