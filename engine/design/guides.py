"""Situational guides: read a bundle's guide.yaml, run its situation decision, print the notice."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import yaml
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from engine.core.errors import DiagramInvalid, FieldError, InvalidInput
from engine.runtime.diagrams.safe_xml import parse_xml
from engine.runtime.script_engine import OnethingScriptEngine

log = logging.getLogger(__name__)

GUIDE_FILE = "guide.yaml"
DECISION_FILE = "situation.dmn"
CHANNELS = ("online", "window", "appointment", "after_hours", "door_to_door", "mobile_window")
QUESTION_TYPES = ("boolean", "number", "choice")
LANGS = ("zh", "en")
MAX_GUIDE_BYTES = 512 * 1024


@dataclass(frozen=True)
class Text:
    """A text in Chinese (primary) and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in LANG, falling back to Chinese."""
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Fee:
    amount: float
    text: Text


@dataclass(frozen=True)
class GuideItem:
    code: str
    name: Text
    department: Text
    candidate_group: str
    commitment_days: float
    statutory_days: float
    fee: Fee


@dataclass(frozen=True)
class Material:
    id: str
    name: Text
    key: bool
    items: tuple[str, ...]
    situational: bool


@dataclass(frozen=True)
class Channel:
    id: str
    name: Text
    detail: Text


@dataclass(frozen=True)
class Faq:
    question: Text
    answer: Text


@dataclass(frozen=True)
class Choice:
    value: str
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    type: str
    choices: tuple[Choice, ...] = ()
    unit: str | None = None


@dataclass(frozen=True)
class Guide:
    """A bundle's plain-language guide, as read from guide.yaml."""

    key: str
    process: str
    title: Text
    summary: Text
    audience: Text
    conditions: tuple[Text, ...]
    commitment_days: float
    statutory_days: float
    items: tuple[GuideItem, ...]
    materials: tuple[Material, ...]
    fees: Text
    channels: tuple[Channel, ...]
    faq: tuple[Faq, ...]
    questions: tuple[Question, ...]
    decision_file: str = DECISION_FILE
    decision_id: str | None = None

    def item(self, code: str) -> GuideItem:
        """The item with CODE (KeyError if the guide has none)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


@dataclass(frozen=True)
class Situation:
    """What the situational decision made of one set of answers."""

    answers: dict[str, Any]
    items: tuple[str, ...]
    modes: dict[str, str] = field(default_factory=dict)
    extra_materials: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()


class _Reader:
    """Walk the parsed YAML, collecting every shape problem with its path."""

    def __init__(self) -> None:
        self.problems: list[FieldError] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldError(path, message))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
            return {}
        return value

    def seq(self, value: Any, path: str, minimum: int = 0) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return []
        if len(value) < minimum:
            self.fail(path, f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be a non-empty text")
            return ""
        return value

    def number(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.fail(path, "must be a number of working days (0 or more)")
            return 0.0
        return float(value)

    def text(self, value: Any, path: str) -> Text:
        data = self.mapping(value, path)
        english = data.get("en", "")
        if not isinstance(english, str):
            self.fail(f"{path}.en", "must be a text")
            english = ""
        return Text(self.string(data.get("zh"), f"{path}.zh"), english)


def load_guide(files: Mapping[str, bytes]) -> Guide:
    """Parse and check the bundle's guide.yaml; raise InvalidInput naming every problem."""
    raw = files.get(GUIDE_FILE)
    if raw is None:
        raise InvalidInput(f"the bundle has no {GUIDE_FILE}")
    if len(raw) > MAX_GUIDE_BYTES:
        raise InvalidInput(f"{GUIDE_FILE} is larger than {MAX_GUIDE_BYTES} bytes")
    try:
        doc = yaml.safe_load(bytes(raw).decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{GUIDE_FILE} is not valid YAML: {exc}") from exc
    r = _Reader()
    top = r.mapping(doc, "(guide)")
    items = tuple(_item(r, v, f"items[{i}]")
                  for i, v in enumerate(r.seq(top.get("items"), "items", 1)))
    codes = [i.code for i in items]
    _unique(r, codes, "items", "item code")
    materials = tuple(_material(r, v, f"materials[{i}]", codes)
                      for i, v in enumerate(r.seq(top.get("materials"), "materials", 1)))
    _unique(r, [m.id for m in materials], "materials", "material id")
    questions = tuple(_question(r, v, f"questions[{i}]")
                      for i, v in enumerate(r.seq(top.get("questions"), "questions", 1)))
    _unique(r, [q.id for q in questions], "questions", "question id")
    channels = tuple(_channel(r, v, f"channels[{i}]")
                     for i, v in enumerate(r.seq(top.get("channels"), "channels", 1)))
    faq = tuple(Faq(r.text(r.mapping(v, f"faq[{i}]").get("q"), f"faq[{i}].q"),
                    r.text(r.mapping(v, f"faq[{i}]").get("a"), f"faq[{i}].a"))
                for i, v in enumerate(r.seq(top.get("faq"), "faq", 1)))
    decision = r.mapping(top.get("decision", {}), "decision")
    guide = Guide(
        key=r.string(top.get("key"), "key"), process=r.string(top.get("process"), "process"),
        title=r.text(top.get("title"), "title"), summary=r.text(top.get("summary"), "summary"),
        audience=r.text(top.get("audience"), "audience"),
        conditions=tuple(r.text(v, f"conditions[{i}]")
                         for i, v in enumerate(r.seq(top.get("conditions"), "conditions"))),
        commitment_days=r.number(top.get("commitment_days"), "commitment_days"),
        statutory_days=r.number(top.get("statutory_days"), "statutory_days"),
        items=items, materials=materials, fees=r.text(top.get("fees"), "fees"),
        channels=channels, faq=faq, questions=questions,
        decision_file=str(decision.get("file") or DECISION_FILE),
        decision_id=str(decision["id"]) if decision.get("id") else None)
    for item in items:
        if item.commitment_days > item.statutory_days:
            r.fail(f"items[{codes.index(item.code)}].commitment_days",
                   "must not exceed the statutory limit")
    if r.problems:
        names = "; ".join(f"{p.path}: {p.message}" for p in r.problems[:10])
        raise InvalidInput(f"{GUIDE_FILE} has errors: {names}", r.problems)
    return guide


def _unique(r: _Reader, values: list[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            r.fail(f"{path}[{index}]", f"{what} {value!r} appears more than once")
        seen.add(value)


def _item(r: _Reader, value: Any, path: str) -> GuideItem:
    data = r.mapping(value, path)
    fee = r.mapping(data.get("fee"), f"{path}.fee")
    return GuideItem(
        code=r.string(data.get("code"), f"{path}.code"),
        name=r.text(data.get("name"), f"{path}.name"),
        department=r.text(data.get("department"), f"{path}.department"),
        candidate_group=r.string(data.get("candidate_group"), f"{path}.candidate_group"),
        commitment_days=r.number(data.get("commitment_days"), f"{path}.commitment_days"),
        statutory_days=r.number(data.get("statutory_days"), f"{path}.statutory_days"),
        fee=Fee(r.number(fee.get("amount"), f"{path}.fee.amount"), r.text(fee, f"{path}.fee")))


def _material(r: _Reader, value: Any, path: str, codes: list[str]) -> Material:
    data = r.mapping(value, path)
    uses = r.seq(data.get("items"), f"{path}.items", 1)
    for index, code in enumerate(uses):
        if code not in codes:
            r.fail(f"{path}.items[{index}]", f"unknown item {code!r}")
    for flag in ("key", "situational"):
        if not isinstance(data.get(flag, False), bool):
            r.fail(f"{path}.{flag}", "must be true or false")
    return Material(id=r.string(data.get("id"), f"{path}.id"),
                    name=r.text(data.get("name"), f"{path}.name"), key=data.get("key") is True,
                    items=tuple(str(c) for c in uses),
                    situational=data.get("situational") is True)


def _question(r: _Reader, value: Any, path: str) -> Question:
    data = r.mapping(value, path)
    kind = data.get("type")
    if kind not in QUESTION_TYPES:
        r.fail(f"{path}.type", f"must be one of {', '.join(QUESTION_TYPES)}")
    choices: list[Choice] = []
    if kind == "choice":
        for index, raw in enumerate(r.seq(data.get("choices"), f"{path}.choices", 2)):
            entry = r.mapping(raw, f"{path}.choices[{index}]")
            choices.append(Choice(r.string(entry.get("value"), f"{path}.choices[{index}].value"),
                                  r.text(entry, f"{path}.choices[{index}]")))
    elif data.get("choices"):
        r.fail(f"{path}.choices", "only choice questions have choices")
    unit = data.get("unit")
    return Question(id=r.string(data.get("id"), f"{path}.id"),
                    text=r.text(data.get("text"), f"{path}.text"),
                    type=str(kind), choices=tuple(choices), unit=str(unit) if unit else None)


def _channel(r: _Reader, value: Any, path: str) -> Channel:
    data = r.mapping(value, path)
    cid = r.string(data.get("id"), f"{path}.id")
    if cid and cid not in CHANNELS:
        r.fail(f"{path}.id", f"must be one of {', '.join(CHANNELS)}")
    return Channel(cid, r.text(data.get("name"), f"{path}.name"),
                   r.text(data.get("detail"), f"{path}.detail"))


def check_answers(guide: Guide, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Return ANSWERS if each one fits its question; raise InvalidInput naming those that do not."""
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers must be a JSON object")
    known = {q.id: q for q in guide.questions}
    problems: list[FieldError] = []
    for name, value in answers.items():
        question = known.get(name)
        if question is None:
            problems.append(FieldError(name, "is not a question of this guide"))
        elif question.type == "boolean" and not isinstance(value, bool):
            problems.append(FieldError(name, "must be true or false"))
        elif question.type == "number" and (isinstance(value, bool)
                                            or not isinstance(value, (int, float))):
            problems.append(FieldError(name, "must be a number"))
        elif question.type == "choice" and value not in [c.value for c in question.choices]:
            allowed = ", ".join(c.value for c in question.choices)
            problems.append(FieldError(name, f"must be one of {allowed}"))
    if problems:
        raise InvalidInput("the answers have errors in: " + ", ".join(p.path for p in problems),
                           problems)
    return dict(answers)


def _decision_engine(files: Mapping[str, bytes], guide: Guide) -> Any:
    name = guide.decision_file
    if name not in files:
        raise InvalidInput(f"the bundle has no {name}")
    try:
        root = parse_xml(name, bytes(files[name])).getroot()
        parser = BpmnDmnParser()
        parser.add_dmn_xml(root, filename=name)
        ids = list(parser.dmn_parsers)
        decision_id = guide.decision_id or (ids[0] if len(ids) == 1 else None)
        if decision_id is None:
            raise InvalidInput(f"{name} holds {len(ids)} decisions; name one in guide.yaml")
        return parser.get_engine(decision_id, root)
    except (InvalidInput, DiagramInvalid):
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad bundle, not a crash
        raise InvalidInput(f"{name} cannot be read: {exc}") from exc


def evaluate(bundle_files: Mapping[str, bytes], answers: Mapping[str, Any],
             script_engine: OnethingScriptEngine | None = None) -> Situation:
    """Run the bundle's situation decision over ANSWERS; return the items and materials."""
    guide = load_guide(bundle_files)
    checked = check_answers(guide, answers)
    engine = _decision_engine(bundle_files, guide)
    host = SimpleNamespace(script_engine=script_engine or OnethingScriptEngine())
    task = SimpleNamespace(data={"answers": checked}, workflow=host, id=None,
                           task_spec=SimpleNamespace(name="situation", bpmn_id="situation",
                                                     bpmn_name="situation", lane=None))
    try:
        result = engine.result(task)
    except Exception as exc:  # noqa: BLE001 - the sandbox reports model errors as exceptions
        raise InvalidInput(f"the situation decision failed: {exc}") from exc
    outcome = _collect(result)
    codes = [c for c in outcome["item"] if c]
    unknown = [c for c in codes if c not in [i.code for i in guide.items]]
    if unknown:
        raise InvalidInput(f"the situation decision names items the guide lacks: {unknown}")
    items = tuple(dict.fromkeys(codes))
    modes = {code: mode for code, mode in zip(outcome["item"], outcome["mode"], strict=False)
             if code and mode}
    extra = tuple(dict.fromkeys(m for m in outcome["material"] if m))
    services = tuple(dict.fromkeys(mode for code, mode in zip(outcome["item"], outcome["mode"],
                                                                 strict=False)
                                   if mode and not code))
    return Situation(answers=checked, items=items, modes=modes, extra_materials=extra,
                     services=services, materials=merged_materials(guide, items, extra))


def _collect(result: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Normalise a COLLECT (lists) or UNIQUE (single values) result to equal-length lists."""
    columns: dict[str, list[Any]] = {}
    for name in ("item", "mode", "material"):
        value = result.get(f"situation_{name}", result.get(name, []))
        columns[name] = list(value) if isinstance(value, list) else [value]
    width = max(len(v) for v in columns.values())
    return {k: v + [None] * (width - len(v)) for k, v in columns.items()}


def merged_materials(guide: Guide, items: tuple[str, ...],
                     extra: tuple[str, ...] = ()) -> tuple[Material, ...]:
    """Each material once: the ones applicable items need, plus situational ones asked for."""
    chosen = []
    for material in guide.materials:
        uses = tuple(code for code in material.items if code in items)
        if not uses or (material.situational and material.id not in extra):
            continue
        chosen.append(Material(material.id, material.name, material.key, uses,
                               material.situational))
    return tuple(chosen)


_LABELS: dict[str, dict[str, Any]] = {
    "zh": {"notice": "一次告知单", "answers": "您的情形", "items": "本次办理事项",
           "code": "事项编码", "item": "事项名称", "dept": "主管部门", "days": "承诺时限（工作日）",
           "fee": "收费", "materials": "所需材料（每份材料只需提交一次）", "no": "序号",
           "material": "材料名称", "used_by": "用于事项", "key": "核心材料",
           "key_yes": "是（不可容缺）", "key_no": "否（可容缺受理，承诺后补）",
           "fees": "收费标准", "time": "办理时限",
           "time_text": "本“一件事”承诺{days}个工作日内办结（法定{statutory}个工作日）；"
                        "各事项并联办理，补正期间不计入时限。",
           "channels": "办理渠道", "modes": {"commitment": "告知承诺制", "inspection": "现场检查"},
           "yes": "是", "no_answer": "否", "none": "根据您的情形，本“一件事”无需办理任何事项。"},
    "en": {"notice": "one-time notice", "answers": "Your situation", "items": "Items to handle",
           "code": "Code", "item": "Item", "dept": "Department", "days": "Committed (working days)",
           "fee": "Fee", "materials": "Materials (hand each in once)", "no": "No.",
           "material": "Material", "used_by": "Used by", "key": "Key material",
           "key_yes": "yes (cannot be missing)", "key_no": "no (may be promised later)",
           "fees": "Fees", "time": "Time limit",
           "time_text": "Done within {days} working days (statutory limit {statutory}); items are "
                        "handled in parallel and supplement time is not counted.",
           "channels": "Where and how", "modes": {"commitment": "commitment-based",
                                                   "inspection": "on-site inspection"},
           "yes": "yes", "no_answer": "no",
           "none": "In your situation no item of this bundle applies."},
}


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _answer_text(question: Question, value: Any, labels: dict[str, Any], lang: str) -> str:
    if question.type == "boolean":
        return str(labels["yes"] if value else labels["no_answer"])
    if question.type == "choice":
        for choice in question.choices:
            if choice.value == value:
                return choice.text.get(lang)
    unit = f" {question.unit}" if question.unit else ""
    return f"{value}{unit}"


def one_time_notice(guide: Guide, situation: Situation, lang: str = "zh") -> str:
    """Render the printable one-time notice (一次告知单) as Markdown."""
    if lang not in LANGS:
        raise InvalidInput(f"language must be one of {', '.join(LANGS)}")
    t = _LABELS[lang]
    out = [f"# {guide.title.get(lang)} {t['notice']}", "", guide.summary.get(lang), ""]
    answered = [(q, situation.answers[q.id]) for q in guide.questions if q.id in situation.answers]
    if answered:
        out += [f"## {t['answers']}", ""]
        out += [f"- {q.text.get(lang)} {_answer_text(q, v, t, lang)}" for q, v in answered]
        out.append("")
    out += [f"## {t['items']}", ""]
    if not situation.items:
        out += [t["none"], ""]
        return "\n".join(out)
    out += [f"| {t['code']} | {t['item']} | {t['dept']} | {t['days']} | {t['fee']} |",
            "| --- | --- | --- | --- | --- |"]
    for code in situation.items:
        item = guide.item(code)
        mode = situation.modes.get(code)
        name = item.name.get(lang) + (f"（{t['modes'].get(mode, mode)}）" if mode else "")
        out.append(f"| {code} | {name} | {item.department.get(lang)} | "
                   f"{_days(item.commitment_days)} | {item.fee.text.get(lang)} |")
    out += ["", f"## {t['materials']}", "",
            f"| {t['no']} | {t['material']} | {t['used_by']} | {t['key']} |",
            "| --- | --- | --- | --- |"]
    for index, material in enumerate(situation.materials, 1):
        out.append(f"| {index} | {material.name.get(lang)} | {', '.join(material.items)} | "
                   f"{t['key_yes'] if material.key else t['key_no']} |")
    out += ["", f"## {t['fees']}", "", guide.fees.get(lang), "",
            f"## {t['time']}", "",
            t["time_text"].format(days=_days(guide.commitment_days),
                                  statutory=_days(guide.statutory_days)), "",
            f"## {t['channels']}", ""]
    out += [f"- **{c.name.get(lang)}**: {c.detail.get(lang)}" for c in guide.channels]
    out.append("")
    return "\n".join(out)


def guide_of_version(cache: dict[int, Any], deployment_id: int,
                     files: Mapping[str, bytes]) -> Guide | None:
    """The guide of one bundle version, read once and kept in CACHE; None without one."""
    if GUIDE_FILE not in files:
        return None
    guide = cache.get(deployment_id)
    if guide is None:
        guide = cache[deployment_id] = load_guide(files)
    return guide
