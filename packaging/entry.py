"""The bundled app's entry point: the `annotator` command line, and the window when started
without arguments (from a launcher, a file manager or a double click)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the importer's worker processes run this executable again
    from annotator.cli import main

    main(sys.argv[1:] or ["gui"], prog_name="annotator")
