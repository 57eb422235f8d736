"""Where an export goes: the folder it was last written to, else the user's Documents folder.

Never the project's folder by default: the default project lives in the app's hidden data folder
(platformdirs' user data dir), where an analyst would not find the file. The folder of each
successful export is remembered (settings ``export_folder``) for the next one, and the summary
offers to open it in the file manager.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

from .. import settings

SETTING = "export_folder"


def documents_folder() -> Path:
    """The user's Documents folder (Qt's answer for this desktop), else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def export_folder() -> Path:
    """The folder the last export went to (if it is still there), else Documents."""
    last = settings.current().get(SETTING)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember_export(destination: Path) -> None:
    """Remember the folder that holds ``destination`` (a file, or a folder format's folder)."""
    try:
        settings.current().set(SETTING, str(Path(destination).resolve().parent))
    except OSError:  # a read-only settings folder must not spoil a finished export
        pass


def folder_to_open(destination: Path) -> Path:
    """What "Open folder" shows: a folder format's own folder, else the folder holding the file."""
    destination = Path(destination)
    return destination if destination.is_dir() else destination.parent


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the desktop's file manager; False if the desktop refused."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
