"""The bundled app's entry point: the `annotator` command line, and the window when started
without arguments (a launcher, a double click) or with files (a file manager's "Open with",
Windows' file associations), which the window imports and opens."""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the importer's worker processes run this executable again
    import click

    from annotator.cli import main

    args = sys.argv[1:]
    if not args or (Path(args[0]).exists() and args[0] not in main.list_commands(click.Context(main))):
        args = ["gui", *args]
    main(args, prog_name="annotator")
