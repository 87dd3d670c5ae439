#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails unless a translation is complete: no untranslated or fuzzy message.
#   check-po.sh PO                       checks PO as committed
#   check-po.sh PO SOURCE_ROOT POTFILES  also checks it against the strings the
#                                        sources hold now, so a string added
#                                        without refreshing the PO fails too
set -eu

po=$1
export LC_ALL=C  # msgfmt's statistics are parsed in English

stats() { # stats FILE: prints msgfmt's statistics; fails on a syntax error
  msgfmt --check --statistics -o /dev/null "$1" 2>&1
}

complete() { # complete FILE LABEL
  out=$(stats "$1") || { echo "$out"; echo "$2: msgfmt --check failed"; return 1; }
  echo "$2: $out"
  case $out in
    *fuzzy*|*untranslated*)
      msgattrib --only-fuzzy --no-wrap "$1" 2>/dev/null | sed -n '/^msgid ""$/d; s/^msgid /fuzzy: /p'
      msgattrib --untranslated --no-wrap "$1" 2>/dev/null | sed -n '/^msgid ""$/d; s/^msgid /untranslated: /p'
      return 1 ;;
    *" translated message"*) return 0 ;;
    *) echo "$2: no translated message"; return 1 ;;
  esac
}

complete "$po" "$po"

[ $# -ge 3 ] || exit 0
root=$2
potfiles=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A source with strings for people must be listed, or its strings never reach
# the translation.
missing=0
for f in $(cd "$root" && grep -rlE '(\b[NC]?C?_|g_dngettext) *\( *"|translatable="yes"' \
             --include='*.c' --include='*.ui' src data 2>/dev/null | sort); do
  grep -qx "$f" "$potfiles" || { echo "$f has translatable strings but is not in $potfiles"; missing=1; }
done
[ $missing -eq 0 ] || exit 1

# The same extraction as meson's i18n.gettext(preset: 'glib').
xgettext --package-name=digitripx-reader --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  -D "$root" -f "$potfiles" -o "$tmp/current.pot"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/current.po" "$po" "$tmp/current.pot"
if ! complete "$tmp/current.po" "$po against the current sources"; then
  echo "Refresh it with build-aux/update-po.sh, then translate the new strings."
  exit 1
fi
