"""Service ratings (好差评, GB/T 39734): five levels per case or visit; bad ones followed up."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import workdays
from engine.core import audit, clock
from engine.core.actors import Actor
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import Case, Rating, RatingFollowUp

# (code, zh, en), best first
LEVELS: tuple[tuple[str, str, str], ...] = (
    ("very_satisfied", "非常满意", "very satisfied"),
    ("satisfied", "满意", "satisfied"),
    ("basic", "基本满意", "basically satisfied"),
    ("dissatisfied", "不满意", "dissatisfied"),
    ("very_dissatisfied", "非常不满意", "very dissatisfied"),
)
SCORES = {code: 5 - n for n, (code, _, _) in enumerate(LEVELS)}
BAD = frozenset({"dissatisfied", "very_dissatisfied"})
FOLLOW_UP_STEPS = ("verify", "rectify", "reply")
MAX_COMMENT = 2000


def follow_up_days() -> int:
    """Working days to settle a bad rating (ONETHING_RATING_FOLLOW_UP_DAYS, default 15)."""
    return int(os.environ.get("ONETHING_RATING_FOLLOW_UP_DAYS", "15"))


def _check(level: str, comment: str | None) -> str | None:
    if level not in SCORES:
        raise InvalidInput(f"level must be one of {', '.join(SCORES)} / 评价等级无效")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise InvalidInput(f"comment longer than {MAX_COMMENT} characters / 评价内容过长")
    return comment.strip() or None if comment else None


def _add(session: Session, rating: Rating) -> Rating:
    try:
        with session.begin_nested():
            session.add(rating)
            session.flush()
    except IntegrityError as err:
        raise Conflict("already rated / 已评价，不能重复评价") from err
    audit.record(session, rating.rater, "rating.given", case_id=rating.case_id,
                 after={"level": rating.level}, subject=rating.subject)
    if rating.level in BAD:
        open_follow_up(session, rating, rating.created_at)
    return rating


def rate_case(session: Session, case_id: int, actor: Actor, level: str,
              comment: str | None = None) -> Rating:
    """Rate a case that has ended, once, by its applicant."""
    text = _check(level, comment)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id} / 办件不存在")
    applicant = (case.started_by or "").split(" for ")[-1]
    if actor.username != applicant and actor.on_behalf_of != applicant:
        raise Forbidden("only the applicant may rate the case / 仅申请人可评价")
    if case.status not in ("completed", "cancelled"):
        raise Conflict("the case has not ended yet / 办件尚未办结，暂不能评价")
    return _add(session, Rating(
        subject=f"case:{case.id}", kind="case", case_id=case.id, office_code=case.office_code,
        bundle_key=case.bundle_key, channel=case.channel, rater=applicant, level=level,
        score=SCORES[level], comment=text, created_at=clock.now()))


def rate_visit(session: Session, reference: str, actor: Actor, level: str,
               comment: str | None = None, *, office: str | None = None,
               case_id: int | None = None) -> Rating:
    """Rate one window visit (REFERENCE: the visit's number), once."""
    text = _check(level, comment)
    if not reference or len(reference) > 100:
        raise InvalidInput("give the visit reference / 请提供窗口服务编号")
    bundle = None
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"no case {case_id} / 办件不存在")
        bundle, office = case.bundle_key, office or case.office_code
    return _add(session, Rating(
        subject=f"visit:{reference}", kind="visit", case_id=case_id, office_code=office,
        bundle_key=bundle, channel="window", rater=actor.label, level=level,
        score=SCORES[level], comment=text, created_at=clock.now()))


def open_follow_up(session: Session, rating: Rating, now: datetime) -> RatingFollowUp:
    """Open the follow-up of a bad rating, due in the configured working days."""
    due = workdays.add_working_days(now, follow_up_days(), office=rating.office_code)
    follow = RatingFollowUp(rating_id=rating.id, case_id=rating.case_id,
                            office_code=rating.office_code, state="verify", due_at=due.due,
                            confirmed=due.confirmed, created_at=now)
    session.add(follow)
    session.flush()
    audit.record(session, "engine", "rating.follow_up_opened", case_id=rating.case_id,
                 after={"state": "verify", "due": due.due.isoformat()}, rating=rating.id)
    return follow


def advance_follow_up(session: Session, follow_up_id: int, actor: Actor, step: str,
                      note: str) -> RatingFollowUp:
    """Record STEP (verify, rectify, reply) of a follow-up, in that order."""
    follow = session.get(RatingFollowUp, follow_up_id, with_for_update=True)
    if follow is None:
        raise NotFound(f"no follow-up {follow_up_id} / 整改记录不存在")
    if not (actor.is_admin or actor.groups & {"supervisor", "leader"}):
        raise Forbidden("only a supervisor or leader handles follow-ups / 仅督办或领导可处理")
    if step not in FOLLOW_UP_STEPS:
        raise InvalidInput(f"step must be one of {', '.join(FOLLOW_UP_STEPS)} / 步骤无效")
    if follow.state != step:
        raise Conflict(f"the follow-up is at '{follow.state}', not '{step}' "
                       f"/ 当前应处理“{follow.state}”")
    if not note or not note.strip():
        raise InvalidInput("write what was done / 请填写处理情况")
    now = clock.now()
    if step == "verify":
        follow.verify_note, follow.verified_by, follow.verified_at = note, actor.label, now
        follow.state = "rectify"
    elif step == "rectify":
        follow.rectify_note, follow.rectified_by, follow.rectified_at = note, actor.label, now
        follow.state = "reply"
    else:
        follow.reply, follow.replied_by, follow.replied_at = note, actor.label, now
        follow.state = "closed"
    audit.record(session, actor, f"rating.follow_up_{step}", case_id=follow.case_id,
                 after={"state": follow.state}, follow_up=follow.id)
    return follow


def statistics(session: Session, *, by: str = "office", office: str | None = None,
               bundle: str | None = None) -> list[dict[str, Any]]:
    """Rating counts per level and the average score, per office or per bundle.

    OFFICE and BUNDLE narrow the ratings counted, so the bundles of one office (or the
    offices of one bundle) can be compared.
    """
    column = Rating.office_code if by == "office" else Rating.bundle_key
    query = select(column, Rating.level, func.count(), func.sum(Rating.score))
    if office is not None:
        query = query.where(Rating.office_code == office)
    if bundle is not None:
        query = query.where(Rating.bundle_key == bundle)
    rows = session.execute(query.group_by(column, Rating.level)).all()
    grouped: dict[str | None, dict[str, Any]] = {}
    for key, level, count, total in rows:
        entry = grouped.setdefault(key, {by: key, "count": 0, "score_total": 0,
                                         "levels": {code: 0 for code in SCORES}})
        entry["levels"][level] = count
        entry["count"] += count
        entry["score_total"] += total or 0
    result = []
    for entry in grouped.values():
        entry["average"] = round(entry.pop("score_total") / entry["count"], 2)
        entry["bad"] = sum(entry["levels"][code] for code in BAD)
        result.append(entry)
    return sorted(result, key=lambda e: str(e[by]))


def list_follow_ups(session: Session, state: str | None = None,
                    office: str | None = None) -> list[RatingFollowUp]:
    """Follow-ups of bad ratings, soonest due first, in STATE and at OFFICE when given."""
    query = select(RatingFollowUp).order_by(RatingFollowUp.due_at, RatingFollowUp.id)
    if state is not None:
        query = query.where(RatingFollowUp.state == state)
    if office is not None:
        query = query.where(RatingFollowUp.office_code == office)
    return list(session.scalars(query))


def follow_up_dict(follow: RatingFollowUp) -> dict[str, Any]:
    """A follow-up with each of its steps (note, by whom, when)."""
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"id": follow.id, "rating_id": follow.rating_id, "case_id": follow.case_id,
            "office": follow.office_code, "state": follow.state,
            "due": follow.due_at.isoformat(), "confirmed": follow.confirmed,
            "verify": {"note": follow.verify_note, "by": follow.verified_by,
                       "at": iso(follow.verified_at)},
            "rectify": {"note": follow.rectify_note, "by": follow.rectified_by,
                        "at": iso(follow.rectified_at)},
            "reply": {"note": follow.reply, "by": follow.replied_by,
                      "at": iso(follow.replied_at)},
            "created_at": follow.created_at.isoformat()}


def as_dict(rating: Rating) -> dict[str, Any]:
    """A rating with its level in both languages."""
    names = {code: (zh, en) for code, zh, en in LEVELS}
    return {"id": rating.id, "subject": rating.subject, "case_id": rating.case_id,
            "level": rating.level, "level_zh": names[rating.level][0],
            "level_en": names[rating.level][1], "score": rating.score,
            "comment": rating.comment, "office": rating.office_code,
            "bundle": rating.bundle_key, "at": rating.created_at.isoformat()}
