/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-format"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-format.h"

char *
dtx_format_relative_date (GDateTime *date,
                          GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *formatted = NULL;
  GTimeSpan span;

  if (date == NULL)
    return g_strdup ("");

  current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  span = g_date_time_difference (current, date);

  /* A server clock slightly ahead of ours should not say "in 2 minutes". */
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      int n = span / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      int n = span / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), n);
    }

  if (span < 2 * G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));

  if (span < 7 * G_TIME_SPAN_DAY)
    {
      int n = span / G_TIME_SPAN_DAY;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), n);
    }

  local = g_date_time_to_local (date);
  /* Translators: a date as in "3 May 2024"; see g_date_time_format() for the codes. */
  formatted = g_date_time_format (local, _("%-e %B %Y"));
  return g_steal_pointer (&formatted);
}
