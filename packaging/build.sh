#!/usr/bin/env bash
# Builds the one-folder app with PyInstaller into dist/news-annotator/ (git-ignored), from a fresh
# virtual environment that holds only the app's runtime dependencies and PyInstaller, so nothing
# of a development environment (spaCy, datasets, pytest...) can end up in the bundle.
#   packaging/build.sh            build, then print the folder's size
#   PYTHON=python3.12 packaging/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
WORK=packaging/build
"$PYTHON" -m venv --clear "$WORK/venv"
BIN="$WORK/venv/bin"
[ -d "$WORK/venv/Scripts" ] && BIN="$WORK/venv/Scripts"  # Windows (Git Bash)
"$BIN/python" -m pip install --quiet --disable-pip-version-check . "pyinstaller>=6.10"
"$BIN/pyinstaller" --noconfirm --clean --log-level WARN --distpath dist --workpath "$WORK/work" packaging/news-annotator.spec
du -sh dist/news-annotator
