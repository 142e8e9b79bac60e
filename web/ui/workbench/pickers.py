"""Choices for the people and groups a task page asks for, and why a choice was refused.

The task page offers the users a task can be handed to and the groups a co-handling
request can go to, from the org model, as template globals (read in their own read-only
unit of work, so every page that renders the task forms has them). The engine checks
the choice again; a refusal is told in the page's language, naming the user or group.
"""

from __future__ import annotations

from sqlalchemy import select

from engine.casework import cooperation, delegation, work_items
from engine.core.db import unit_of_work
from engine.core.errors import NotFound, OnethingError
from engine.models import Membership, User
from engine.org.offices.members import OFFICE_PREFIX
from web.context import onething
from web.ui import engine_text
from web.ui.guard import actor
from web.ui.i18n import _
from web.ui.names import group_name
from web.ui.workbench.blueprint import bp


def _choice(user: User) -> dict[str, str]:
    label = f"{user.display_name} ({user.username})" if user.display_name else user.username
    return {"username": user.username, "label": label}


@bp.app_template_global("delegate_choices")
def delegate_choices(item_id: str) -> list[dict[str, str]]:
    """The active users task ITEM_ID could be handed to: username and 'name (username)'."""
    with unit_of_work(onething().factory, read_only=True) as session:
        try:
            item = work_items.get(session, item_id)
        except NotFound:
            return []
        me = actor().username
        return [_choice(u) for u in delegation.choices(session, item) if u.username != me]


@bp.app_template_global("office_clerks")
def office_clerks(office: str) -> list[dict[str, str]]:
    """The active users posted at OFFICE: who may be sent on a visit or be on duty there."""
    group = f"{OFFICE_PREFIX}{office}"
    with unit_of_work(onething().factory, read_only=True) as session:
        found = session.scalars(
            select(User).join(Membership).where(Membership.group_name == group,
                                                User.active.is_(True))
            .order_by(User.username).limit(delegation.MAX_CHOICES))
        return [_choice(u) for u in found]


@bp.app_template_global("cooperation_groups")
def cooperation_groups() -> list[dict[str, str]]:
    """The groups a co-handling request can go to, as code and 'office role', by name."""
    with unit_of_work(onething().factory, read_only=True) as session:
        codes = cooperation.group_choices(session)
    named = [{"code": code, "label": group_name(code)} for code in codes]
    return sorted(named, key=lambda g: g["label"])


def refusal(err: OnethingError) -> str:
    """Why a hand-over or a co-handling request was refused, in the page's language."""
    if isinstance(err, cooperation.UnknownGroup):
        return _("No office has the group “%(group)s”: choose a group from the list.",
                 group=err.params.get("group", ""))
    if isinstance(err, delegation.TargetRefused):
        texts = {"unknown": _("There is no user “%(user)s”: choose a colleague from the list.",
                              user=err.params.get("user", "")),
                 "inactive": _("The user “%(user)s” is deactivated and cannot take the task.",
                               user=err.params.get("user", "")),
                 "not_candidate": _("%(user)s cannot work on this task: it is not for their "
                                    "office or role.", user=err.params.get("user", ""))}
        return texts[err.reason]
    return engine_text.say(err)
