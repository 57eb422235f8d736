"""Per-user settings (annotator name, recent projects, window state) under platformdirs' config dir.

The default project file lives under the data dir. `ANNOTATOR_PROJECT` overrides the project and
`ANNOTATOR_CONFIG_DIR` the settings folder (tests and portable installs use these).

One `Settings` object per process and settings folder (`current()`): the file is read once, and
again only when another process has written it since (its modification time changed); every
change is written at once, atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

APP_NAME = "news-annotator"
PROJECT_SUFFIX = ".annotator"
MAX_RECENT = 10


def config_dir() -> Path:
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # here, not at the top: `annotator --version` does not need it

    return platformdirs.user_config_path(APP_NAME)


def models_dir() -> Path:
    """Where models learned from a project are kept (derived data: deleting it loses nothing but the
    time to train again). Beside the settings when they are moved (ANNOTATOR_CONFIG_DIR), else the
    user cache folder."""
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    if override:
        return Path(override) / "models"
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME) / "models"


def default_project_path() -> Path:
    override = os.environ.get("ANNOTATOR_PROJECT")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / f"default{PROJECT_SUFFIX}"


def login_name() -> str:
    import getpass  # here: most commands never ask

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "annotator"


class Settings:
    """The settings file of one folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "settings.json"
        self._data: dict = {}
        self._stamp: float | None = None
        self._loaded = False

    def _fresh(self) -> dict:
        try:
            stamp = self.path.stat().st_mtime_ns
        except OSError:
            stamp = None
        if not self._loaded or stamp != self._stamp:
            self._data = self._read()
            self._stamp = stamp
            self._loaded = True
        return self._data

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def data(self) -> dict:
        return dict(self._fresh())

    def get(self, key: str, default: object = None) -> object:
        return self._fresh().get(key, default)

    def set(self, key: str, value: object) -> None:
        """Store `value` under `key`; the file is left alone when it holds that value already
        (opening the window sets the last article and the recent projects, usually unchanged)."""
        data = dict(self._fresh())
        if key in data and data[key] == value:
            return
        data[key] = value
        self._write(data)

    def forget(self, key: str) -> None:
        data = dict(self._fresh())
        if data.pop(key, None) is not None:
            self._write(data)

    def _write(self, data: dict) -> None:
        """Atomically (temp file + rename), so a crash never leaves half a settings file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
        os.replace(temporary, self.path)
        self._data = data
        try:
            self._stamp = self.path.stat().st_mtime_ns
        except OSError:
            self._stamp = None

    def annotator_name(self) -> str:
        """The configured name, else the login name."""
        name = self.get("annotator")
        if isinstance(name, str) and name.strip():
            return name.strip()
        return login_name()

    def has_annotator_name(self) -> bool:
        name = self.get("annotator")
        return isinstance(name, str) and bool(name.strip())

    def recent_projects(self) -> list[str]:
        recent = self.get("recent_projects", [])
        return [p for p in recent if isinstance(p, str)] if isinstance(recent, list) else []

    def remember_project(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        recent = [resolved] + [p for p in self.recent_projects() if p != resolved]
        self.set("recent_projects", recent[:MAX_RECENT])

    def for_project(self, key: str, project: str) -> object:
        """A per-project value kept under `key` ({project path: value})."""
        value = self.get(key, {})
        return value.get(project) if isinstance(value, dict) else None

    def set_for_project(self, key: str, project: str, value: object) -> None:
        data = self.get(key, {})
        data = dict(data) if isinstance(data, dict) else {}
        data[project] = value
        self.set(key, data)


_current: Settings | None = None


def current() -> Settings:
    """The settings of this process (a new object when ANNOTATOR_CONFIG_DIR points elsewhere)."""
    global _current
    folder = config_dir()
    if _current is None or _current.path.parent != folder:
        _current = Settings(folder)
    return _current
