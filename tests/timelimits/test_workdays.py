"""The working-day calendar: package years, the 2027 file, the unconfirmed fallback."""

from __future__ import annotations

from datetime import date

import pytest

from engine import workdays
from engine.core.errors import InvalidInput
from tests.timelimits.conftest import at


def test_national_day_2026_and_its_swapped_saturday(shipped_calendar):
    # 1-7 Oct 2026 off; Sunday 20 Sep and Saturday 10 Oct are swapped working days
    assert not workdays.is_working_day(date(2026, 10, 5))
    assert workdays.is_working_day(date(2026, 10, 10))
    assert workdays.is_working_day(date(2026, 9, 20))
    result = workdays.add_working_days(at(2026, 9, 29, 15), 3)
    # 30 Sep, 8 Oct, 9 Oct
    assert result.due == at(2026, 10, 9, 17, 30)
    assert result.confirmed
    assert workdays.add_working_days(at(2026, 9, 29, 15), 4).due == at(2026, 10, 10, 17, 30)


def test_2027_with_the_file_is_a_holiday_but_unconfirmed(shipped_calendar):
    info = workdays.day_info(date(2027, 2, 8))
    assert not info.working and info.source == "file" and not info.confirmed
    assert "春节" in (info.name or "")
    assert not workdays.is_working_day(date(2027, 10, 1))
    # Friday 31 Dec 2026 + 1 working day: 1 Jan 2027 is New Year's Day, so Monday 4 Jan
    result = workdays.add_working_days(at(2026, 12, 31), 1)
    assert result.due == at(2027, 1, 4, 17, 30)
    assert not result.confirmed and result.unconfirmed_years == (2027,)


def test_2027_without_the_file_falls_back_to_weekdays_and_says_so(no_calendar_files):
    info = workdays.day_info(date(2027, 2, 8))
    assert info.working and info.source == "none" and not info.confirmed
    result = workdays.add_working_days(at(2026, 12, 31), 1)
    assert result.due == at(2027, 1, 1, 17, 30)
    assert not result.confirmed
    # a span inside a package year stays confirmed
    assert workdays.add_working_days(at(2026, 3, 2), 5).confirmed


def test_coverage_and_the_start_up_warning(shipped_calendar):
    assert workdays.coverage(2026).source == "package"
    assert workdays.coverage(2026).confirmed
    c27 = workdays.coverage(2027)
    assert (c27.source, c27.holidays, c27.confirmed) == ("file", 13, False)
    assert workdays.coverage_warning(date(2026, 6, 1)) is None
    warning = workdays.coverage_warning(date(2026, 12, 1), lang="en")
    assert warning is not None and "2027" in warning and "unconfirmed" in warning
    assert "未确认" in (workdays.coverage_warning(date(2026, 12, 1)) or "")


def test_missing_year_warning(no_calendar_files):
    warning = workdays.coverage_warning(date(2026, 12, 1), lang="en")
    assert warning is not None and "missing" in warning
    assert workdays.coverage(2027).source == "none"


def test_closure_for_one_office_and_a_confirmed_file(calendar_copy):
    (calendar_copy / "2027.yaml").write_text(
        "year: 2027\nconfirmed: true\nholidays:\n  - {name: 元旦, date: 2027-01-01}\n"
        "workdays:\n  - {name: 调休, date: 2027-01-09}\n"
        "closures:\n  - {reason: 停电, date: 2027-01-05, offices: [branch_tieying]}\n",
        encoding="utf-8")
    assert workdays.is_working_day(date(2027, 1, 5))
    assert not workdays.is_working_day(date(2027, 1, 5), office="branch_tieying")
    assert workdays.is_working_day(date(2027, 1, 9))  # a Saturday made a working day
    result = workdays.add_working_days(at(2027, 1, 4), 1, office="branch_tieying")
    assert result.due == at(2027, 1, 6, 17, 30) and result.confirmed


def test_a_broken_file_is_refused_naming_the_place(calendar_copy):
    (calendar_copy / "2028.yaml").write_text(
        "year: 2028\nconfirmed: maybe\nholidays:\n  - {date: 2027-01-01}\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        workdays.coverage(2028)
    assert "confirmed" in err.value.message and "holidays[0]" in err.value.message


def test_office_hours_lunch_break_and_instant_hours(calendar_copy):
    (calendar_copy / "office-hours.yaml").write_text(
        'offices:\n  branch_yangan: {afternoon: ["14:00", "18:00"]}\n', encoding="utf-8")
    # 11:00 + 2 office hours: one before lunch, one after (13:30 default)
    assert workdays.add_working_hours(at(2026, 3, 2, 11), 2).due == at(2026, 3, 2, 14, 30)
    assert workdays.add_working_hours(
        at(2026, 3, 2, 11), 2, office="branch_yangan").due == at(2026, 3, 2, 15)
    # Friday 17:00 + 1 hour runs into Monday morning
    assert workdays.add_working_hours(at(2026, 3, 6, 17), 1).due == at(2026, 3, 9, 9, 30)
    assert workdays.office_hours("branch_yangan").closing(date(2026, 3, 2)) == at(2026, 3, 2, 18)
    assert workdays.is_after_hours(at(2026, 3, 2, 12, 30), working_day=True)
    assert not workdays.is_after_hours(at(2026, 3, 2, 10), working_day=True)


def test_counting_working_days():
    counted = workdays.count_working_days(at(2026, 9, 28), at(2026, 10, 12))
    # 29, 30 Sep, 8, 9, 10 (Sat, swapped), 12 Oct
    assert counted.days == 6 and counted.confirmed
