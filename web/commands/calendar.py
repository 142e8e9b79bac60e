"""calendar check: how well the working-day calendar covers a year."""

from __future__ import annotations

import click

from engine import workdays


@click.group("calendar")
def calendar_group() -> None:
    """The working-day calendar (工作日历)."""


@calendar_group.command("check")
@click.argument("year", type=click.IntRange(1900, 2200))
def check(year: int) -> None:
    """Print where YEAR's working days come from; exit 1 when no data covers it."""
    found = workdays.coverage(year)
    state = "confirmed" if found.confirmed else "unconfirmed"
    click.echo(f"{year}: source {found.source}"
               + (f" ({found.file})" if found.file else "")
               + f", {found.holidays} holidays, {found.workdays} swapped working days, "
               f"{found.closures} closures, {state}")
    if not found.covered:
        click.echo(f"error: no calendar data for {year}: add {workdays.calendar_dir()}"
                   f"/{year}.yaml / {year} 年无工作日历数据", err=True)
        raise SystemExit(1)
