"""UI tests run headless: the offscreen platform must be chosen before Qt is imported.

The main window's fixtures (fixtures_window.py) are registered here for every test of this folder:
``isolated_settings`` (autouse: each test has its own settings folder, so a user's settings are
never touched), ``project_path``, ``store``, ``make_window``, ``window`` and ``suggested``. Test modules import only
the helpers they call (``select_text``, ``press``, ``tag``…) from fixtures_window.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:  # tests/ui is not a package: pytest puts this folder on sys.path
    from .fixtures_window import isolated_settings, make_window, project_path, store, suggested, window  # noqa: F401
except ImportError:
    from fixtures_window import isolated_settings, make_window, project_path, store, suggested, window  # noqa: F401
