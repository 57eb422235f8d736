"""`annotator config`: the settings and paths, and the annotator name."""

from __future__ import annotations

import json

import click

from .. import settings
from ..errors import ValidationError
from .env import Env




@click.group("config", invoke_without_command=True)
@click.pass_context
def config_group(ctx: click.Context) -> None:
    """Show the settings and paths; `config annotator NAME` sets your name.

    Settings live in settings.json in the config folder (ANNOTATOR_CONFIG_DIR overrides it).
    """
    if ctx.invoked_subcommand is not None:
        return
    env: Env = ctx.obj
    current = settings.current()
    data = current.data()
    rows = [
        ("project", str(env.project)),
        ("config dir", str(settings.config_dir())),
        ("annotator", current.annotator_name() + ("" if current.has_annotator_name() else "  (not set: login name)")),
    ]
    rows += [(key, json.dumps(value, ensure_ascii=False)) for key, value in sorted(data.items()) if key != "annotator"]
    width = max(len(key) for key, _ in rows)
    for key, value in rows:
        click.echo(f"{key:<{width}}  {value}")


@config_group.command("annotator")
@click.argument("name", required=False)
def config_annotator(name: str | None) -> None:
    """Show the annotator name, or set it to NAME."""
    if name is None:
        click.echo(settings.current().annotator_name())
        return
    if not name.strip():
        raise ValidationError("the annotator name cannot be empty")
    settings.current().set("annotator", name.strip())
    click.echo(name.strip())
