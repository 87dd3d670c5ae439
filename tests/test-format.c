/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-format"
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "dtx-format.h"

static GDateTime *
ago (GDateTime *now, GTimeSpan span)
{
  return g_date_time_add (now, -span);
}

static void
check (GDateTime *now, GTimeSpan span, const char *expected)
{
  g_autoptr(GDateTime) then = ago (now, span);
  g_autofree char *text = dtx_format_relative_date (then, now);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_english (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 12, 0, 0);
  g_autoptr(GDateTime) old = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);
  g_autoptr(GDateTime) future = g_date_time_add_minutes (now, 3);
  g_autofree char *old_text = NULL;
  g_autofree char *future_text = NULL;

  check (now, 30 * G_TIME_SPAN_SECOND, "Just now");
  check (now, 1 * G_TIME_SPAN_MINUTE, "1 minute ago");
  check (now, 5 * G_TIME_SPAN_MINUTE, "5 minutes ago");
  check (now, 1 * G_TIME_SPAN_HOUR, "1 hour ago");
  check (now, 2 * G_TIME_SPAN_HOUR + 59 * G_TIME_SPAN_MINUTE, "2 hours ago");
  check (now, G_TIME_SPAN_DAY + 3 * G_TIME_SPAN_HOUR, "Yesterday");
  check (now, 3 * G_TIME_SPAN_DAY, "3 days ago");

  old_text = dtx_format_relative_date (old, now);
  g_assert_cmpstr (old_text, ==, "3 May 2024");
  /* A server clock ahead of ours reads as new, not as the future. */
  future_text = dtx_format_relative_date (future, now);
  g_assert_cmpstr (future_text, ==, "Just now");
}

static void
test_indonesian (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 25, 12, 0, 0);
  g_autoptr(GDateTime) old = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);
  g_autofree char *old_text = NULL;
  const char *po_dir = g_getenv ("DTX_BUILD_PO_DIR");

  if (setlocale (LC_ALL, "id_ID.UTF-8") == NULL)
    {
      g_test_message ("The id_ID.UTF-8 locale is missing: build-aux/dev deps generates it");
      g_test_fail ();
      return;
    }
  g_assert_nonnull (po_dir);
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  check (now, 2 * G_TIME_SPAN_HOUR, "2 jam lalu");
  check (now, 5 * G_TIME_SPAN_MINUTE, "5 menit lalu");
  check (now, 3 * G_TIME_SPAN_DAY, "3 hari lalu");
  check (now, G_TIME_SPAN_DAY + 3 * G_TIME_SPAN_HOUR, "Kemarin");
  check (now, 10 * G_TIME_SPAN_SECOND, "Baru saja");
  old_text = dtx_format_relative_date (old, now);
  g_assert_cmpstr (old_text, ==, "3 Mei 2024");

  setlocale (LC_ALL, "C.UTF-8");
}

int
main (int argc, char *argv[])
{
  g_unsetenv ("LANGUAGE");
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/relative-date/english", test_english);
  g_test_add_func ("/format/relative-date/indonesian", test_indonesian);

  return g_test_run ();
}
