"""Only `gui` may load Qt: every other command must run where PySide6 is missing or broken."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from .conftest import SEED


def test_cli_commands_do_not_import_qt(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from click.testing import CliRunner
        import annotator.cli
        assert "PySide6" not in sys.modules, "import annotator.cli loaded PySide6"
        runner = CliRunner()
        project = {str(tmp_path / "p.annotator")!r}
        for args in (["import", {str(SEED)!r}], ["list"], ["list", "--json"], ["stats"], ["export"], ["config"]):
            result = runner.invoke(annotator.cli.main, ["--project", project, *args])
            assert result.exit_code == 0, (args, result.output)
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6") or m.startswith("annotator.ui"))
        assert not loaded, loaded
        print("ok")
        """
    )
    env = {**os.environ, "ANNOTATOR_CONFIG_DIR": str(tmp_path / "cfg")}
    env.pop("ANNOTATOR_PROJECT", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
