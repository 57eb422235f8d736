"""Everything Qt: the application, the main window, the article view, panels, undo commands, dialogs.

Nothing outside this package imports PySide6 (docs/architecture.md); the widgets here call the core for every
data operation.
"""
