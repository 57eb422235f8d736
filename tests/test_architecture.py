"""The core must run without Qt (docs/architecture.md): enforced here, as napari does."""

import ast
import subprocess
import sys
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent
CORE_MODULES = sorted(
    ".".join(("annotator", *p.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for p in PACKAGE.rglob("*.py")
    if "ui" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"
)


def test_no_core_module_imports_qt_in_its_source():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in names):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt():
    assert "annotator.store" in CORE_MODULES
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_core_start_up_does_not_drag_in_pandas():
    """sqlite-utils would import pandas and numpy when installed; the core hides them (see _sqlite_utils)."""
    code = (
        "import sys, annotator.store, annotator.review, annotator.cli\n"
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, 'heavy import at start-up'\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('pandas'):\n"
        "    import pandas  # still importable afterwards\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_import_linter_contracts_hold():
    """The layers and the Qt / SQL rules of pyproject.toml ([tool.importlinter]), as CI checks them."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _module_of(path: Path) -> str:
    return ".".join(("annotator", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def test_no_module_imports_another_modules_private_names():
    """`from x import _name` reaches into another module's internals: make the name public instead."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_of(path)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            for alias in node.names:
                name = alias.name
                if name.startswith("_") and not name.startswith("__") and name != "_sqlite_utils":
                    offenders.append(f"{module}:{node.lineno} imports {name} from {'.' * node.level}{node.module or ''}")
    assert offenders == []


def test_no_module_in_the_package_is_over_800_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text("utf-8").splitlines())) > 800}
    assert long == {}
