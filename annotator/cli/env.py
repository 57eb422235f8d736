"""What every command shares: the project (opened on first use) and who is at the keyboard."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import click

from .. import settings
from ..errors import AnnotatorError, NotFoundError, ProjectError, ProjectNeedsUpgrade

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Annotation
    from ..store import Store

BUSY_TIMEOUT_SECONDS = 5.0


class Env:
    """Per-invocation state: the project path and the store, opened on first use."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self._store: "Store | None" = None

    def store(self, *, readonly: bool = False) -> "Store":
        from ..store import Store

        if self._store is not None and (readonly or not self._store.readonly):
            return self._store
        self.close()
        if readonly and not self.project.exists():
            raise ProjectError(f"{self.project}: no such project file (import articles first: annotator import FILE)")
        try:
            self._store = Store.open(self.project, readonly=readonly, timeout=busy_timeout())
        except ProjectNeedsUpgrade:
            # The user's own project from an older version: upgrade it in place, as the app would.
            self._store = Store.open(self.project, timeout=busy_timeout())
        if not readonly and self._store.readonly:
            raise ProjectError(f"{self.project}: the project is read-only here (a read-only folder or medium); "
                               "nothing was changed")
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def busy_timeout() -> float:
    """Seconds to wait for a project locked by another window; ANNOTATOR_BUSY_TIMEOUT overrides."""
    raw = os.environ.get("ANNOTATOR_BUSY_TIMEOUT", "").strip()
    if not raw:
        return BUSY_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise AnnotatorError(f"ANNOTATOR_BUSY_TIMEOUT must be a number of seconds; got {raw!r}") from None
    if value < 0:
        raise AnnotatorError(f"ANNOTATOR_BUSY_TIMEOUT must not be negative; got {raw!r}")
    return value


def annotator_option(who: str):
    """`--annotator NAME` on an editing command: who makes the edit (`who`: "Who annotates.")."""
    return click.option("--annotator", metavar="NAME", help=f"{who} Default: the configured name (annotator config).")


def me(name: str | None = None) -> str:
    """Who makes the edit: --annotator/--by if given, else the configured name."""
    return (name or "").strip() or settings.current().annotator_name()


def live_annotation(store: "Store", annotation_id: str) -> "Annotation":
    annotation = store.get_annotation(store.resolve_annotation_id(annotation_id))
    if annotation.deleted:
        raise NotFoundError(f"annotation {annotation.id} is deleted")
    return annotation


def parse_pairs(ctx: click.Context, param: click.Parameter, values: Iterable[str]) -> dict[str, str]:
    """KEY=VALUE options (--attr, --label-map, --rename) as a dict, refused with the option's name."""
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not KEY=VALUE", ctx=ctx, param=param)
        pairs[key.strip()] = value.strip()
    return pairs


pass_env = click.pass_obj
