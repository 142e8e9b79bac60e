"""catalog and offices: import and list the item catalogue and the org model."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from engine.core.db import unit_of_work
from engine.org import catalog, offices
from engine.org.catalog import RowsInvalid
from web.commands.state import CliState, pass_state

FILE = click.argument("path", type=click.Path(path_type=Path, dir_okay=False))


@click.group("catalog")
def catalog_group() -> None:
    """Import and list the item catalogue (事项目录)."""


@catalog_group.command("import")
@FILE
@pass_state
def import_items(state: CliState, path: Path) -> None:
    """Import items from a .yaml, .csv or .xlsx file, all or nothing.

    CSV and XLSX columns: code, name_zh, name_en, department, legal_basis, conditions,
    fee, statutory_days, committed_days, instant, accept_levels, decide_levels,
    materials (optional: fee_text, department_name_zh, department_name_en). Levels are
    county, center, branch, town separated by commas; materials are
    'CODE:名称[|English]:key|optional[:copies]' separated by ';'. Every row is checked
    first; any problem is printed as 'row N, column C: reason' and nothing is imported.
    """
    source = catalog.read_catalog(path)
    factory = state.factory(migrate=True)
    # on stderr, so stdout keeps only the summary
    bar = click.progressbar(
        length=max(len(source.rows), 1), label=f"importing {path.name}",
        file=sys.stderr)

    def advance(done: int, _total: int) -> None:
        bar.update(done - bar.pos)

    try:
        with unit_of_work(factory) as session, bar:
            counts = catalog.import_catalog(session, source, actor=state.actor,
                                            progress=advance)
    except RowsInvalid as err:
        for problem in err.problems:
            click.echo(f"{path}: {problem}", err=True)
        click.echo(f"error: {len(err.problems)} problem(s); nothing was imported", err=True)
        click.get_current_context().exit(1)
    click.echo(f"items: {counts}")


@catalog_group.command("list")
@click.option("--department", metavar="CODE", help="Only items of this department (e.g. MS).")
@click.option("-q", "--search", metavar="TEXT", help="Only items whose code or name has TEXT.")
@pass_state
def list_items(state: CliState, department: str | None, search: str | None) -> None:
    """List catalogue items: code, department, committed/statutory days, name."""
    with unit_of_work(state.factory(), read_only=True) as session:
        items, total = catalog.list_items(session, department=department, q=search,
                                          limit=10_000)
        lines = [f"{i.code}\t{i.department_code}\t{i.committed_days}/{i.statutory_days}d"
                 f"{' instant' if i.instant else ''}\t{i.name_zh} ({i.name_en})" for i in items]
    for line in lines:
        click.echo(line)
    click.echo(f"{total} item(s)", err=True)


@click.group("offices")
def offices_group() -> None:
    """Import and show the org model (offices and staff)."""


@offices_group.command("import")
@FILE
@pass_state
def import_org(state: CliState, path: Path) -> None:
    """Import offices and staff from an org.yaml file (after the catalogue).

    Users that do not exist are created without a password; each listed person's
    postings become the file's, and their office groups follow.
    """
    with unit_of_work(state.factory(migrate=True)) as session:
        counts = offices.import_offices(session, path, state.actor)
    click.echo(str(counts))
    # a warning, not a refusal: the staff may be posted later
    for post in counts.empty:
        click.echo(f"warning: nobody can take work for {post.group}: {post}", err=True)


@offices_group.command("list")
@pass_state
def list_offices(state: CliState) -> None:
    """Show the office tree: code, level, name."""
    with unit_of_work(state.factory(), read_only=True) as session:
        tree = offices.office_tree(session)
    stack = [(node, 0) for node in reversed(tree)]
    while stack:
        node, depth = stack.pop()
        click.echo(f"{'  ' * depth}{node['code']}\t{node['level']}\t{node['name_zh']}")
        stack.extend((child, depth + 1) for child in reversed(node["children"]))
