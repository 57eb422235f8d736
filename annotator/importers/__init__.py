"""Importers: turn files (copied text pages, HTML, article JSON) into `model.Article` objects.

Every importer is all-or-nothing per file and reports bad input as `errors.ImportFailed` with a
message that names the file and says what is wrong, so the CLI and the GUI can show it as it is.
"""
