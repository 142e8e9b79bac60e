"""The working-day calendar: statutory holidays, swapped working days, closures, office hours.

Days come from the chinese-calendar package, from ``bpmn/calendar/<year>.yaml`` for years
it does not know (and local closures), or, for a year with no data, from the weekday rule
with the result marked unconfirmed: an unknown year is never counted silently.

May import: engine.core, engine.models.
"""

from engine.workdays.calendar_files import CalendarFile, Closure, calendar_dir, use_calendar_dir
from engine.workdays.counting import (
    WorkdayCount,
    WorkdayResult,
    add_working_days,
    add_working_hours,
    count_working_days,
)
from engine.workdays.coverage import Coverage, coverage, coverage_warning
from engine.workdays.days import DayInfo, day_info, is_working_day
from engine.workdays.office_hours import OfficeHours, is_after_hours, office_hours

__all__ = [
    "CalendarFile", "Closure", "Coverage", "DayInfo", "OfficeHours", "WorkdayCount",
    "WorkdayResult", "add_working_days", "add_working_hours", "calendar_dir",
    "count_working_days", "coverage", "coverage_warning", "day_info", "is_after_hours",
    "is_working_day", "office_hours", "use_calendar_dir",
]
