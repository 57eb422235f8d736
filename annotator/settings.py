"""Per-user settings (annotator name, recent projects, window state) under platformdirs' config dir.

The default project file lives under the data dir. `ANNOTATOR_PROJECT` overrides the project and
`ANNOTATOR_CONFIG_DIR` the settings folder (tests and portable installs use these).
"""

from __future__ import annotations

import getpass
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


def default_project_path() -> Path:
    override = os.environ.get("ANNOTATOR_PROJECT")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / f"default{PROJECT_SUFFIX}"


def _settings_file() -> Path:
    return config_dir() / "settings.json"


def load() -> dict:
    try:
        data = json.loads(_settings_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(data: dict) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    target = _settings_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
    os.replace(temporary, target)


def get(key: str, default: object = None) -> object:
    return load().get(key, default)


def set_value(key: str, value: object) -> None:
    data = load()
    data[key] = value
    save(data)


def annotator_name_is_set() -> bool:
    """Whether a name was saved (the window asks for one on its first start until then)."""
    name = load().get("annotator")
    return isinstance(name, str) and bool(name.strip())


def annotator_name() -> str:
    """The saved name, else the login name."""
    name = load().get("annotator")
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "annotator"


def recent_projects() -> list[str]:
    recent = load().get("recent_projects", [])
    return [p for p in recent if isinstance(p, str)] if isinstance(recent, list) else []


def remember_project(path: Path) -> None:
    resolved = str(Path(path).resolve())
    recent = [resolved] + [p for p in recent_projects() if p != resolved]
    set_value("recent_projects", recent[:MAX_RECENT])
