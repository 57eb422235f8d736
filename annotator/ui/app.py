"""Start the GUI: `run(project_path, target, screenshot)` is what `annotator gui` calls.

With `screenshot`, the window is laid out at 1400x900 without appearing on screen, the target
article (an id or unique id prefix; else the last one opened, else the first) is opened, and the
window is rendered to the PNG file; the function then returns 0. Nothing is shown and the user's
saved window state is neither read nor written, so the picture is reproducible (the README uses it).
Otherwise, on the first start (no annotator name in the settings yet), the analyst is asked for
their name before the window opens (first_run.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

# The window's Qt-free modules come before PySide6: PySide6 replaces __import__ and, for every module
# first imported after it, reads that module's source (looking for `from __feature__ import`),
# 0.1-0.8 ms a module. Imported here first, the store's, the schema's and these modules' own imports
# are not read; only the names the Qt modules import themselves are.
from .. import assets, gc_pause, guidelines, settings, textspan, wording  # noqa: F401 - see above
from ..errors import AnnotatorError
from ..store import Store
from . import formatting, highlights, session, window_guard  # noqa: F401 - see above

from PySide6.QtCore import QCoreApplication, QSize, Qt  # noqa: E402 - after the modules above, on purpose
from PySide6.QtGui import QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

if TYPE_CHECKING:  # the message boxes load when first shown (start-up time)
    from PySide6.QtWidgets import QMessageBox

SCREENSHOT_SIZE = (1400, 900)


def application() -> QApplication:
    """The running QApplication, or a new one named for the window manager, with the app's icon.

    The application name is the app id, so that the X11 window class (WM_CLASS) matches the
    launcher's StartupWMClass, and the desktop file name is the Wayland app id: the desktop then
    shows the launcher's icon and name for the window.
    """
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setApplicationName(assets.APP_ID)
        QCoreApplication.setOrganizationName("news-annotator")
        app = QApplication(sys.argv[:1])
        app.setApplicationDisplayName(assets.APP_NAME)
        app.setDesktopFileName(assets.APP_ID)
        app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


def app_icon() -> QIcon:
    """The application icon at every size it is drawn for (loaded when Qt first needs one)."""
    icon = QIcon()
    for size in assets.ICON_SIZES:
        icon.addFile(str(assets.icon_png(size)), QSize(size, size))
    return icon


def _error(message: str, headless: bool) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    if not headless:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, "News Annotator", message)
        box.exec()
    return 1


_open_reports: set[QMessageBox] = set()


def report_unexpected(kind: type[BaseException], error: BaseException, trace: object) -> None:
    """Last resort for a bug in a slot: say so and keep the window open.

    Every edit was committed when it was made, so nothing shown as saved is lost; the traceback goes
    to stderr for the bug report.
    """
    sys.__excepthook__(kind, error, trace)  # type: ignore[arg-type]
    if issubclass(kind, KeyboardInterrupt):
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "News Annotator",
        "Something went wrong inside News Annotator, but your work is saved: every edit was stored when "
        f"you made it.\n\n{error}",
    )
    box.setModal(False)
    _open_reports.add(box)  # keep it alive while shown; Qt would otherwise lose an unparented box
    box.finished.connect(lambda _result, shown=box: _open_reports.discard(shown))
    box.show()


def run(project_path: Path, target: str | None = None, screenshot: Path | None = None) -> int:
    """Open the project in the main window and run until it is closed; returns the exit status."""
    app = application()
    headless = screenshot is not None
    if not headless and not settings.current().has_annotator_name():
        from .first_run import ask_name_if_needed  # only then: its widgets cost start-up time

        ask_name_if_needed()
    try:
        store = Store.open(project_path)
    except AnnotatorError as exc:
        return _error(str(exc), headless)

    from .main_window import MainWindow  # after QApplication exists

    try:
        window = MainWindow(store, restore_state=not headless)
        if target:
            try:
                article_id = store.resolve_article_id(target)
            except AnnotatorError as exc:
                window.watcher.stop()
                window.deleteLater()
                return _error(str(exc), headless)
            window.open_article(article_id)
        if headless:
            return _screenshot(app, window, Path(screenshot))  # type: ignore[arg-type]
        if not store.readonly:
            try:
                settings.current().remember_project(project_path)
            except OSError:
                pass
        window.show()
        previous_hook = sys.excepthook
        sys.excepthook = report_unexpected
        try:
            status = app.exec()
        finally:
            sys.excepthook = previous_hook
        return int(status)
    finally:
        try:
            current = window.store if "window" in locals() else store  # the window may have switched projects
            current.close()
            if current is not store:
                store.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            pass


def _screenshot(app: QApplication, window, path: Path) -> int:
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*SCREENSHOT_SIZE)
    window.show()  # laid out and polished, but never mapped on a screen
    for _ in range(5):
        app.processEvents()
    if window.current_article is not None:
        window.view.verticalScrollBar().setValue(0)
        app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path))
    window.watcher.stop()
    window.hide()
    window.deleteLater()
    app.processEvents()
    if not ok:
        print(f"annotator: could not write the screenshot to {path}", file=sys.stderr)
        return 1
    return 0
