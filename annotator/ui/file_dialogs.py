"""The window's file choosers: Qt's file dialogs, whose classes load when one is first opened
(start-up time: QFileDialog and the QDialog under it are classes the first frame does not need)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget


def open_file(parent: QWidget, title: str, folder: str, filter_: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getOpenFileName(parent, title, folder, filter_)
    return Path(name) if name else None


def open_files(parent: QWidget, title: str, folder: str, filter_: str) -> list[Path]:
    from PySide6.QtWidgets import QFileDialog

    names, _ = QFileDialog.getOpenFileNames(parent, title, folder, filter_)
    return [Path(name) for name in names]


def save_file(parent: QWidget, title: str, start: str, filter_: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(parent, title, start, filter_)
    return Path(name) if name else None


def choose_folder(parent: QWidget, title: str, start: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    name = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(name) if name else None
