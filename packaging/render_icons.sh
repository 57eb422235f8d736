#!/usr/bin/env bash
# Renders the application icon from its SVG sources into resources/icons/:
#   hicolor/<n>x<n>/apps/<app id>.png for n in 16 24 32 48 64 128 256 512 (16 and 24 from the
#   pixel-aligned 16-unit drawing, the rest from the 64-unit one), news-annotator.ico (Windows,
#   16-256) and news-annotator.icns (macOS, 16-512).
# Needs rsvg-convert (librsvg2-bin), ImageMagick's convert and png2icns (icnsutils). The outputs are
# committed, so only a change of the SVGs needs this script.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
APP_ID=io.github.newsannotator.NewsAnnotator
CONVERT=$(command -v convert-im6.q16 || command -v magick || command -v convert)
for n in 16 24 32 48 64 128 256 512; do
    source=$APP_ID.svg
    [ "$n" -le 24 ] && source=$APP_ID-16.svg
    mkdir -p "hicolor/${n}x${n}/apps"
    rsvg-convert --width "$n" --height "$n" "$source" --output "hicolor/${n}x${n}/apps/$APP_ID.png"
done
png() { echo "hicolor/$1x$1/apps/$APP_ID.png"; }
"$CONVERT" "$(png 16)" "$(png 24)" "$(png 32)" "$(png 48)" "$(png 64)" "$(png 128)" "$(png 256)" news-annotator.ico
png2icns news-annotator.icns "$(png 16)" "$(png 32)" "$(png 48)" "$(png 128)" "$(png 256)" "$(png 512)" >/dev/null
ls -l news-annotator.ico news-annotator.icns hicolor/*/apps/*.png
