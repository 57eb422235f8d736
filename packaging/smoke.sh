#!/usr/bin/env bash
# Runs the built app (dist/news-annotator/, from packaging/build.sh) as a user would, in a throw-away
# project and settings folder, and checks each output:
#   1. --version;  2. CLI import of the sample (a copied page) and of a saved HTML page;
#   3. a folder of 10 saved pages, parsed by worker processes (the frozen app runs itself again);
#   4. exports (jsonl and CoNLL);  5. gui --screenshot offscreen, on the sample, on several files
#   at once (%F) and on a file given without the gui command ("Open with");  6. without a display,
#   gui exits with a message, never a core dump.
# Usage: packaging/smoke.sh [APP]   (APP defaults to dist/news-annotator/news-annotator)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=${1:-$ROOT/dist/news-annotator/news-annotator}
[ -x "$APP" ] || { echo "smoke: no app at $APP (run packaging/build.sh)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export ANNOTATOR_PROJECT=$WORK/smoke.annotator ANNOTATOR_CONFIG_DIR=$WORK/config
SAMPLE=$ROOT/seeds/000_4374cd0fa6f2fed4.txt
PAGE=$ROOT/tests/importers/fixtures/news_figure.html
MHTML=$ROOT/tests/importers/fixtures/cafe_rents.mhtml
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }
step() { echo "smoke: $*"; }
png_size() { python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }

step "version"
[ "$("$APP" --version)" = "annotator 0.1.0" ] || fail "--version"

step "import the sample"
out=$("$APP" import "$SAMPLE" 2>"$WORK/err")
grep -q "^d3d1fb436b6969ac  Kim Jong Un says" <<<"$out" || fail "sample import: $out $(cat "$WORK/err")"
grep -q "8 paragraphs, 2 related, 3 image alts, 3 captions, 3 credits" <<<"$out" || fail "sample blocks: $out"

step "import a saved HTML page"
out=$("$APP" import "$PAGE" 2>"$WORK/err")
grep -q "Floods hit river towns as rain continues" <<<"$out" || fail "HTML import: $out $(cat "$WORK/err")"
page_id=${out%% *}
text=$("$APP" show --json "$page_id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')
grep -q "Thousands were moved from their homes overnight" <<<"$text" || fail "HTML text"
! grep -q "MUST_NOT_APPEAR" <<<"$text" || fail "HTML: script or style text imported"

step "import a folder of 10 saved pages (worker processes)"
mkdir "$WORK/pages"
for i in $(seq 1 10); do
    sed "s/Thousands were moved from their homes overnight/Report $i: thousands were moved from their homes overnight/" "$PAGE" >"$WORK/pages/page_$i.html"
done
"$APP" import "$WORK/pages" >"$WORK/out" 2>"$WORK/err" || fail "folder import: $(cat "$WORK/err")"
grep -q "^imported 10, duplicates 0, failed 0$" "$WORK/err" || fail "folder import: $(cat "$WORK/err")"
[ "$("$APP" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 12 ] || fail "list after imports"

step "annotate and export"
"$APP" add d3d1 200 211 SOURCE >/dev/null 2>&1 || fail "add"
"$APP" export --format jsonl -o "$WORK/out.jsonl" 2>"$WORK/err" || fail "jsonl export: $(cat "$WORK/err")"
[ "$(grep -c '"blocks"' "$WORK/out.jsonl")" -eq 12 ] || fail "jsonl export: $(grep -c '"blocks"' "$WORK/out.jsonl") articles, not 12"
grep -q '"label": *"SOURCE"' "$WORK/out.jsonl" || fail "jsonl export: the span is missing"
"$APP" export --format conll --article d3d1 -o "$WORK/out.conll" 2>"$WORK/err" || fail "CoNLL export: $(cat "$WORK/err")"
grep -q "B-SOURCE" "$WORK/out.conll" || fail "CoNLL export: no B-SOURCE tag"

step "gui --screenshot (offscreen) of the last article"
QT_QPA_PLATFORM=offscreen "$APP" gui d3d1 --screenshot "$WORK/shot.png" || fail "screenshot"
[ "$(png_size "$WORK/shot.png")" = 1400x900 ] || fail "screenshot size $(png_size "$WORK/shot.png")"
cp "$WORK/shot.png" "$ROOT/dist/smoke-screenshot.png" 2>/dev/null || true

step "gui with several files (as the launcher's %F passes them)"
QT_QPA_PLATFORM=offscreen "$APP" gui --screenshot "$WORK/shot2.png" "$MHTML" "$SAMPLE" 2>"$WORK/err" || fail "gui with files: $(cat "$WORK/err")"
[ "$(png_size "$WORK/shot2.png")" = 1400x900 ] || fail "second screenshot"
[ "$("$APP" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 13 ] || fail "gui did not import the MHTML page"

step "opened with a file, as a file manager's \"Open with\" does (no gui command)"
RUSSIAN=$ROOT/tests/importers/fixtures/russian_cp1251_no_meta.html
QT_QPA_PLATFORM=offscreen "$APP" "$RUSSIAN" --screenshot "$WORK/shot3.png" 2>"$WORK/err" || fail "open with: $(cat "$WORK/err")"
[ "$(png_size "$WORK/shot3.png")" = 1400x900 ] || fail "third screenshot"
[ "$("$APP" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 14 ] || fail "open with did not import the page"

step "gui without a display: a message, not a crash"
set +e
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u XDG_SESSION_TYPE "$APP" gui >"$WORK/out" 2>"$WORK/err"
status=$?
set -e
[ "$status" = 1 ] || fail "gui without a display exited with $status: $(cat "$WORK/err")"
grep -q "^Error: the desktop interface " "$WORK/err" || fail "gui without a display: $(cat "$WORK/err")"
sed 's/^/smoke:   /' "$WORK/err"

step "all passed ($(du -sh "$(dirname "$APP")" | cut -f1) in $(dirname "$APP"))"
