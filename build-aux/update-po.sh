#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates po/digitripx-reader.pot from the files in po/POTFILES and merges
# it into every language in po/LINGUAS, so translators see new strings.
#   build-aux/update-po.sh [BUILD DIR]    (default: _build-po, set up if missing)
# Afterwards translate the new empty and "#, fuzzy" entries; the 'data' test
# suite (meson test --suite data) fails until none are left.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${1:-_build-po}

[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build" digitripx-reader-pot

for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  msgmerge --quiet --update --backup=none --previous \
    "po/$lang.po" po/digitripx-reader.pot
  printf '%s: ' "$lang"
  LC_ALL=C msgfmt --check --statistics -o /dev/null "po/$lang.po"
done
