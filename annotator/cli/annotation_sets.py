"""`annotator import-annotations`: bring an annotation set (a colleague's export, or another tool's)
into the project, through annotator/operations/annotation_sets.py (one operation, one undo step).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..formats import READABLE
from .env import me
from .output import CountingProgress, err

MAX_LISTED = 50


@click.command("import-annotations")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format", "format_name", type=click.Choice(READABLE),
    help="Format of PATH. Default: recognised from the content and the name.",
)
@click.option(
    "--annotator", metavar="NAME",
    help="Author of the annotations when the format does not record one (doccano, brat, CoNLL). "
    "Default: the file (or folder) name.",
)
@click.option(
    "--label-map", "label_map", multiple=True, metavar="OLD=NEW",
    help="Read label OLD as the project's label NEW (repeatable). Labels match case-insensitively anyway.",
)
@click.option(
    "--relation-map", "relation_map", multiple=True, metavar="OLD=NEW",
    help="Read relation type OLD as the project's type NEW (repeatable). Types match case-insensitively anyway.",
)
@click.option(
    "--extend-schema", is_flag=True,
    help="Add the file's labels, attribute values and relation types that the project's schema lacks to it "
    "(in the same step as the import: undo takes both back). Without it, an unknown label or relation type "
    "refuses the file.",
)
@click.option(
    "--offset-units", type=click.Choice(["codepoint", "utf16"]),
    help="Units of the file's offsets, for formats whose tools differ (doccano: utf16 by default).",
)
@click.option(
    "--label-list", "label_list", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The tool's list of label ids and names, for files that name labels by id (doccano before 1.0: its "
    "label export; default: label_config.json beside PATH).",
)
@click.pass_obj
def import_annotations_command(
    env, path: Path, format_name: str | None, annotator: str | None, label_map: tuple[str, ...],
    relation_map: tuple[str, ...], extend_schema: bool, offset_units: str | None, label_list: Path | None,
) -> None:
    """Import annotations from PATH (a file, or a brat folder) into the project.

    Articles are matched by their text (the article id is its hash); an article the project does
    not have is added when the format carries its text. Labels and relation types must be the
    project's: map the file's with --label-map and --relation-map, or add them with --extend-schema. Spans whose text differs from the article
    at their offsets are re-anchored by their quote, or listed and left out. The whole file is one
    transaction: a malformed file changes nothing. Importing the same file again changes nothing.

    Prints the ids of added articles on stdout, and a summary and every problem on stderr (with a
    progress bar, counting documents, when stderr is a terminal). Exits with status 1 if some spans could not be imported.
    """
    from ..operations.annotation_sets import import_annotation_set, parse_label_map

    store = env.store()
    with CountingProgress("Importing") as bar:
        report = import_annotation_set(
            store, path, importer=me(), format_name=format_name, annotator=annotator,
            label_map=parse_label_map(label_map), relation_map=parse_label_map(relation_map, "--relation-map"),
            extend_schema=extend_schema, offset_units=offset_units, label_list=label_list, progress=bar.callback,
        ).value
    _print_report(report)
    if report.not_imported:
        click.get_current_context().exit(1)


def _print_report(report) -> None:
    if report.articles_added:  # one write: 100,000 ids one echo at a time took a noticeable part of an import
        click.echo("\n".join(report.articles_added))
    for title, problems in (
        ("re-anchored", report.reanchored),
        ("offsets read in another unit", report.converted),
        ("quote mismatch, not imported", report.quote_mismatches),
        ("unanchorable, not imported", report.unanchorable),
        ("skipped", report.skipped),
        ("duplicate, not added", report.duplicates),
    ):
        _list(title, problems)
    for note in report.notes[:MAX_LISTED]:
        err(f"note: {note}")
    for line in report.schema_added:
        err(line)
    spans, relations = report.spans, report.relations
    err(
        f"{report.path} ({report.format}): {report.documents} document{'s' if report.documents != 1 else ''}, "
        f"articles added {len(report.articles_added)}, found {report.articles_found}; "
        f"spans added {spans.added}, updated {spans.updated}, deleted {spans.deleted}, unchanged {spans.unchanged}, "
        f"kept (newer here) {spans.kept}, duplicates {len(report.duplicates)}, not imported {report.not_imported}; "
        f"relations added {relations.added}, updated {relations.updated}, deleted {relations.deleted}, "
        f"unchanged {relations.unchanged}, kept {relations.kept}"
    )
    work = report.assignments
    if (work.added, work.updated, work.deleted, work.unchanged, work.kept) != (0, 0, 0, 0, 0):
        err(f"assignments added {work.added}, updated {work.updated}, unassigned {work.deleted}, "
            f"unchanged {work.unchanged}, kept (newer here) {work.kept}")


def _list(title: str, problems: list) -> None:
    for problem in problems[:MAX_LISTED]:
        err(f"{title}: {problem}")
    if len(problems) > MAX_LISTED:
        err(f"{title}: … and {len(problems) - MAX_LISTED} more")
