"""The wheel and the sdist, built as a user's pip would build them, carry what the app needs.

Builds both once per run with `python -m build` (the sdist first, then the wheel from the sdist,
so the sdist is proven complete), in isolated build environments from the package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from annotator import assets

REPO = Path(__file__).resolve().parents[2]
RESOURCES = REPO / "resources"


def _resource_files() -> list[str]:
    return sorted(
        p.relative_to(RESOURCES).as_posix()
        for p in RESOURCES.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("build", reason="the `build` frontend is in the test extras: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


def test_the_wheel_contains_every_resource_once(dists):
    names = zipfile.ZipFile(dists["wheel"]).namelist()
    expected = [f"annotator/resources/{name}" for name in _resource_files()]
    assert sorted(n for n in names if n.startswith("annotator/resources/")) == expected
    assert not [n for n in names if n.startswith("resources/")], "resources/ must not become a top-level package"
    assert "annotator/resources/default_schema.toml" in names
    for size in assets.ICON_SIZES:
        assert f"annotator/resources/icons/hicolor/{size}x{size}/apps/{assets.APP_ID}.png" in names


def test_the_wheel_installs_the_launcher_metainfo_and_icons_under_share(dists):
    names = zipfile.ZipFile(dists["wheel"]).namelist()
    data = "news_annotator-0.1.0.data/data/share/"
    assert f"{data}applications/{assets.APP_ID}.desktop" in names
    assert f"{data}metainfo/{assets.APP_ID}.metainfo.xml" in names
    assert f"{data}icons/hicolor/scalable/apps/{assets.APP_ID}.svg" in names
    for size in assets.ICON_SIZES:
        assert f"{data}icons/hicolor/{size}x{size}/apps/{assets.APP_ID}.png" in names


def test_the_sdist_carries_tests_seeds_docs_resources_and_packaging(dists):
    with tarfile.open(dists["sdist"]) as archive:
        names = {"/".join(n.split("/")[1:]) for n in archive.getnames()}
    for path in (
        "LICENSE", "setup.py", "MANIFEST.in", "seeds/000_4374cd0fa6f2fed4.txt", "docs/screenshot.png",
        "tests/shipping/test_distributions.py", "benchmarks/bench_startup.py", "packaging/news-annotator.spec",
        "packaging/build.sh", "packaging/smoke.sh", f"packaging/{assets.APP_ID}.desktop",
        f"packaging/{assets.APP_ID}.metainfo.xml", "packaging/README.md",
    ):
        assert path in names, path
    assert {f"resources/{name}" for name in _resource_files()} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_an_installed_wheel_finds_its_resources(dists, tmp_path):
    """Installed without the repository: the lookup goes through importlib.resources alone."""
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(target), str(dists["wheel"])],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    code = (
        "import annotator.assets as a, annotator.schema as s\n"
        "print(a.__file__)\n"
        "print(a.resource_path('default_schema.toml'))\n"
        "print(a.icon_png(16).stat().st_size > 0, a.icon_svg().is_file())\n"
        "print(','.join(s.default_schema().names))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    # -S: no site-packages, so neither the editable install of the repository nor anything else is seen
    # (and cwd elsewhere: `python -c` puts the working folder first on sys.path)
    run = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    module, schema_path, icons, labels = run.stdout.splitlines()
    assert module.startswith(str(target)) and schema_path.startswith(str(target))
    assert icons == "True True"
    assert labels == "CLAIM,SOURCE,CAPTION"


def test_the_editable_install_reads_the_one_copy_in_the_repository():
    if not Path(assets.__file__).resolve().is_relative_to(REPO):
        pytest.skip("annotator is not imported from this repository (not an editable install)")
    assert assets.resource_path("default_schema.toml") == RESOURCES / "default_schema.toml"
    assert assets.icon_png(512) == RESOURCES / "icons" / "hicolor" / "512x512" / "apps" / f"{assets.APP_ID}.png"
    assert not (REPO / "annotator" / "resources").exists(), "a second copy of the resources"
