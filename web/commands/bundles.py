"""validate, deploy and demo: bundles from folders and files into the database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from engine.core.db import unit_of_work
from engine.core.errors import DiagramInvalid
from engine.design import deployments
from engine.org import catalog, offices, users
from engine.runtime.diagrams import compile_bundle
from web.commands.state import CliState, pass_state
from web.demo_accounts import DEMO_ACCOUNTS, DEMO_BUNDLES, DEMO_CATALOG, DEMO_ORG

PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


def bundles_of(paths: tuple[Path, ...]) -> list[list[Path]]:
    """Each folder is one bundle; the loose files, together, are one more."""
    groups = [[p] for p in paths if p.is_dir()]
    loose = [p for p in paths if not p.is_dir()]
    return groups + ([loose] if loose else [])


def _where(paths: list[Path]) -> dict[str, Path]:
    """Where each bundle file name came from, so problem lines point at real paths."""
    found: dict[str, Path] = {}
    for path in paths:
        children = sorted(path.rglob("*")) if path.is_dir() else [path]
        found.update({c.name: c for c in children if c.is_file()})
    return found


def report_problems(err: DiagramInvalid, paths: list[Path]) -> None:
    """Print one `file:line: element: message` line per problem to stderr."""
    where = _where(paths)
    for problem in err.problems:
        shown = where.get(problem.file)
        click.echo(str(replace(problem, file=str(shown) if shown else problem.file)), err=True)


@click.command()
@PATHS
def validate(paths: tuple[Path, ...]) -> None:
    """Check bundles without deploying them.

    Each folder is one bundle; the loose files, together, are one more.
    """
    failed = False
    for group in bundles_of(paths):
        files = deployments.read_paths(group)
        try:
            deployments.check_files(files)
            bundle = compile_bundle(files)
        except DiagramInvalid as err:
            report_problems(err, group)
            failed = True
            continue
        for warning in bundle.warnings:
            click.echo(f"warning: {warning}", err=True)
        click.echo(f"ok: {', '.join(sorted(files))} ({', '.join(bundle.process_ids)})")
    if failed:
        click.get_current_context().exit(1)


@click.command()
@PATHS
@click.option("--bundle", "bundle_key", metavar="KEY",
              help="Bundle key (default: the id of the first process).")
@pass_state
def deploy(state: CliState, paths: tuple[Path, ...], bundle_key: str | None) -> None:
    """Deploy bundles as new versions.

    Each folder is one bundle; the loose files, together, are one more. Content identical
    to a stored version is left unchanged. The schema is migrated first if needed.
    """
    groups = bundles_of(paths)
    if bundle_key and len(groups) > 1:
        raise click.UsageError("--bundle names one bundle; give one folder or only files")
    factory = state.factory(migrate=True)
    lines = []
    with unit_of_work(factory) as session:
        for group in groups:
            files = deployments.read_paths(group)
            try:
                result = deployments.deploy(session, files, actor=state.actor,
                                            bundle_key=bundle_key)
            except DiagramInvalid as err:
                report_problems(err, group)
                click.get_current_context().exit(1)
            dep = result.deployment
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
            lines.append(f"{'created' if result.created else 'unchanged'}: {dep.bundle_key} "
                         f"version {dep.version} ({dep.content_hash})")
    for line in lines:
        click.echo(line)


@click.command()
@click.option("--bundles", "bundles_dir", type=click.Path(path_type=Path),
              default=DEMO_BUNDLES, show_default=True, help="Folder of bundle folders.")
@pass_state
def demo(state: CliState, bundles_dir: Path) -> None:
    """Set up a demo database.

    Migrates, deploys every sample bundle folder, creates one account per role and
    imports the sample catalogue and org model; running it again changes nothing.
    """
    factory = state.factory(migrate=True)
    folders = sorted(p for p in bundles_dir.iterdir() if p.is_dir()) \
        if bundles_dir.is_dir() else []
    lines = []
    with unit_of_work(factory) as session:
        for folder in folders:
            try:
                result = deployments.deploy(session, deployments.read_paths([folder]),
                                            actor=state.actor)
            except DiagramInvalid as err:
                report_problems(err, [folder])
                click.get_current_context().exit(1)
            dep = result.deployment
            lines.append(f"{'deployed' if result.created else 'unchanged'}: "
                         f"{dep.bundle_key} version {dep.version}")
        for account in DEMO_ACCOUNTS:
            # the demo's passwords are printed below and in the README: no policy helps them
            users.add_user(session, account.username, account.password,
                           groups=list(account.groups), admin=account.admin, exist_ok=True,
                           weak_password_ok=True)
            lines.append(f"account: {account.username} / {account.password} "
                         f"({', '.join(account.groups)})")
        if DEMO_CATALOG.is_file():
            counts = catalog.import_catalog(session, DEMO_CATALOG, actor=state.actor)
            lines.append(f"catalogue: {counts}")
        if DEMO_ORG.is_file():
            lines.append(f"org: {offices.import_offices(session, DEMO_ORG, state.actor)}")
    for line in lines:
        click.echo(line)
