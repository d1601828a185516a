#!/usr/bin/env bash
# Renders the hicolor PNG sizes and the Windows icon from motcua.svg. The results are
# committed (cargo deb and cargo wix take them as they are); run this again after editing
# the SVG. Needs rsvg-convert (librsvg2-bin) and ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")"
sizes=(16 22 24 32 48 64 128 256)
for n in "${sizes[@]}"; do
  rsvg-convert -w "$n" -h "$n" motcua.svg -o "motcua-$n.png"
done
# The .ico keeps the sizes Windows asks for (Explorer, Start menu, taskbar, Alt+Tab).
convert motcua-16.png motcua-24.png motcua-32.png motcua-48.png motcua-64.png \
        motcua-128.png motcua-256.png ../../windows/motcua.ico
