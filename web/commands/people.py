"""user and token: accounts, groups and API bearer tokens."""

from __future__ import annotations

import click

from engine.core.db import unit_of_work
from engine.org import users
from web.commands.state import CliState, pass_state


@click.group()
def user() -> None:
    """Manage user accounts."""


@user.command("add")
@click.argument("username")
@click.option("--password",
              help="Password for browser login: at least 10 characters of two kinds or more "
                   "(lower-case, capitals, digits, others), not the username. Omit it for a "
                   "token-only account.")
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


@user.command("sign-out")
@click.argument("username")
@pass_state
def sign_out(state: CliState, username: str) -> None:
    """End every browser session of USERNAME at once (they must sign in again)."""
    with unit_of_work(state.factory(migrate=True)) as session:
        ended = users.sign_out_everywhere(session, state.actor, username)
    click.echo(f"signed {username} out everywhere ({ended} sessions ended)")


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


@token.command("list")
@click.argument("username")
@pass_state
def list_tokens(state: CliState, username: str) -> None:
    """List USERNAME's tokens: id, name, created, revoked."""
    with unit_of_work(state.factory(migrate=True)) as session:
        rows = users.list_tokens(session, username)
        for row in rows:
            status = "revoked" if row.revoked else "active"
            click.echo(f"{row.id}\t{row.name or '-'}\t{row.created_at:%Y-%m-%d %H:%M}\t{status}")
        if not rows:
            click.echo(f"{username} has no tokens")


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_state
def revoke_token(state: CliState, token_id: int) -> None:
    """Revoke the token with TOKEN_ID (see `token list`)."""
    with unit_of_work(state.factory(migrate=True)) as session:
        users.revoke_token(session, token_id)
    click.echo(f"revoked token {token_id}")
