"""The `onething` command line: one group, engine errors as one clear line, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError

from engine.core.db import database_url
from engine.core.errors import DiagramInvalid, OnethingError
from web.app import configure_logging
from web.commands import bundles, cases, catalog, people, running
from web.commands.calendar import calendar_group
from web.commands.state import CliState

log = logging.getLogger(__name__)


class OnethingGroup(click.Group):
    """A group that turns engine and database errors into one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; print engine errors as one line and exit 1."""
        try:
            return super().invoke(ctx)
        except DiagramInvalid as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
        except OnethingError as err:
            click.echo(f"error: {err.message}", err=True)
        except SQLAlchemyError as err:
            # the driver's own message, without SQL and parameters
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            click.echo(f"error: database: {reason}", err=True)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - a bug still gets one line, details in the log
            log.debug("unexpected error", exc_info=True)
            click.echo(f"error: unexpected {err.__class__.__name__}: {err} "
                       "(run with --log-level debug for the traceback)", err=True)
        ctx.exit(1)


@click.group(cls=OnethingGroup)
@click.option("--database-url", "url", envvar="ONETHING_DATABASE_URL", metavar="URL",
              help="SQLAlchemy URL (default: ONETHING_DATABASE_URL, else a SQLite file "
                   "under instance/).")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"],
                                               case_sensitive=False),
              help="Default: WARNING, and INFO for serve and worker.")
@click.version_option(package_name="onething")
@click.pass_context
def main(ctx: click.Context, url: str | None, log_level: str | None) -> None:
    """onething: run 'one thing' approval bundles."""
    configure_logging(log_level or "WARNING")
    state = CliState(database_url(url), log_level=log_level)
    ctx.obj = state
    ctx.call_on_close(state.close)


for command in (bundles.validate, bundles.deploy, bundles.demo, running.db, running.serve,
                running.run_worker, people.user, people.token, cases.cases_group,
                catalog.catalog_group, catalog.offices_group, calendar_group):
    main.add_command(command)
