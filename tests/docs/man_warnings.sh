#!/bin/sh
# Renders a man page as `man` does for a reader (80 columns, UTF-8) with every groff
# warning on, and fails if anything at all is printed on stderr or the render is empty.
#   man_warnings.sh PAGE                    exit 0 when PAGE renders cleanly
#   man_warnings.sh --expect-warnings PAGE  exit 0 only when warnings ARE printed
#                                           (proves the check can fail)
set -u
expect=no
if [ "${1:-}" = --expect-warnings ]; then expect=yes; shift; fi
page=${1:?usage: man_warnings.sh [--expect-warnings] PAGE}
[ -r "$page" ] || { echo "man_warnings: cannot read $page" >&2; exit 2; }
command -v man >/dev/null || { echo "man_warnings: man is not installed" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
MANWIDTH=80 MAN_KEEP_FORMATTING= LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$page" \
  >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -ne 0 ] || [ ! -s "$tmp/out" ]; then
  echo "man_warnings: man exited $status or rendered nothing for $page" >&2
  cat "$tmp/err" >&2
  exit 2
fi
if [ "$expect" = yes ]; then
  if [ -s "$tmp/err" ]; then
    echo "man_warnings: warnings detected as expected:"; cat "$tmp/err"; exit 0
  fi
  echo "man_warnings: expected warnings for $page, got none" >&2
  exit 1
fi
if [ -s "$tmp/err" ]; then
  echo "man_warnings: $page renders with warnings:" >&2
  cat "$tmp/err" >&2
  exit 1
fi
echo "man_warnings: $page renders without warnings ($(wc -l <"$tmp/out") lines)"
