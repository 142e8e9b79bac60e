"""Migration 0014 builds open_work_keys as the models declare and gives the tasks open at
upgrade time the keys the engine would have written."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.casework import inbox, work_items
from engine.core import migrate
from engine.core.db import unit_of_work
from engine.models import OpenWorkKey
from engine.org import users
from engine.runtime import work_keys
from tests.casework.workbench.support import migrated_county
from tests.migration_check import check_tables_migration
from web.context import onething


def test_0014_matches_the_models_and_downgrades(tmp_path):
    check_tables_migration("0014_open_work_keys.py", ("0014", "0013"), {"open_work_keys"},
                           tmp_path)


def test_the_upgrade_keys_the_tasks_already_open(tmp_path):
    with migrated_county(tmp_path) as (county, _url):
        tieying = county.walk_in("clerk_ty")["id"]
        county.walk_in("clerk_ya", name="杨安小吃店")
        county.accept(tieying)
        with unit_of_work(county.factory, read_only=True) as s:
            clerk = users.actor_of(users.get_user(s, "clerk_ya"))
            before = {w.id for w in inbox.page(s, clerk, "group").items}
            written = s.scalar(select(func.count()).select_from(OpenWorkKey))
        assert before and written
        held = sorted(before)[0]
        with unit_of_work(county.factory) as s:
            work_items.claim(s, held, clerk)
        db = onething(county.app).db
        migrate.downgrade(db, "0013")
        migrate.upgrade(db)
        with unit_of_work(county.factory, read_only=True) as s:
            assert work_keys.drifted(s) == []
            assert s.scalar(select(func.count()).select_from(OpenWorkKey)) == written
            assert {w.id for w in inbox.page(s, clerk, "group").items} == before - {held}
            assert inbox.count(s, clerk, "group") == len(before) - 1
            assert [w.id for w in inbox.page(s, clerk, "mine").items] == [held]
