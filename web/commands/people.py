"""user and token: accounts, groups and API bearer tokens."""

from __future__ import annotations

import click

from engine import users
from engine.db import unit_of_work

from .state import CliState, pass_state


@click.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("username")
@click.option("--password", help="Password for browser login (omit for a token-only account).")
@click.option("--group", "groups", multiple=True, metavar="G",
              help="Group or role the user belongs to (repeatable).")
@click.option("--admin", is_flag=True, help="Make the user an administrator.")
@click.option("--display-name", default="", help="Name shown in the UI.")
@pass_state
def add_user(state: CliState, username: str, password: str | None, groups: tuple[str, ...],
             admin: bool, display_name: str) -> None:
    """Create a user account."""
    with unit_of_work(state.factory(migrate=True)) as session:
        account = users.add_user(session, username, password, groups=list(groups),
                                 admin=admin, display_name=display_name)
        summary = f"added user {account.username}"
        if account.groups:
            summary += f" (groups: {', '.join(account.groups)})"
        if account.is_admin:
            summary += " [admin]"
    click.echo(summary)


@click.group()
def token() -> None:
    """Manage API bearer tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for (shown in listings).")
@pass_state
def create_token(state: CliState, username: str, name: str) -> None:
    """Issue a bearer token for USERNAME and print it (it is not shown again)."""
    with unit_of_work(state.factory(migrate=True)) as session:
        issued = users.create_token(session, username, name)
    click.echo(issued)
