#!/usr/bin/env bash
# Full-page PNG screenshots of Stamen HTML reports with headless Chromium, for docs/.
#   scripts/report-screenshots.sh [--width PX] REPORT.html [MORE.html ...]
# Writes REPORT.png beside each REPORT.html. Chromium's --screenshot captures the window only, so a first pass
# measures the page's height (a copy of the report with one line of script that writes it into the DOM) and the
# second pass sets the window to that height. The report itself stays script-free.
set -euo pipefail

width=1200
if [[ "${1:-}" == "--width" ]]; then
  width="$2"
  shift 2
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 [--width PX] REPORT.html [MORE.html ...]" >&2
  exit 2
fi
chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
  echo "error: $chromium is missing: install Debian's chromium (apt-get install chromium)" >&2
  exit 1
fi
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking --disable-component-update
  --disable-sync --no-first-run)

for html in "$@"; do
  if [[ ! -f $html ]]; then
    echo "error: $html does not exist" >&2
    exit 1
  fi
  page="$(realpath "$html")"
  measure="$(mktemp --suffix=.html)"
  cp "$page" "$measure"
  echo '<script>document.body.setAttribute("data-page-height", document.documentElement.scrollHeight)</script>' >>"$measure"
  height="$("$chromium" "${flags[@]}" --window-size="$width,800" --dump-dom "file://$measure" 2>/dev/null |
    grep -o 'data-page-height="[0-9]*"' | grep -o '[0-9]\+' || true)"
  rm -f "$measure"
  if [[ -z $height ]]; then
    echo "error: could not measure $html in chromium" >&2
    exit 1
  fi
  png="${html%.html}.png"
  "$chromium" "${flags[@]}" --window-size="$width,$height" --screenshot="$(realpath -m "$png")" "file://$page" >/dev/null 2>&1
  echo "wrote $png (${width}x${height})"
done
