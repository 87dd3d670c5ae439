/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-date"
#include "config.h"

#include "dtx-date.h"

static const struct { const char *text, *expected; } cases[] = {
  /* ISO 8601 / W3C-DTF */
  { "2024-05-03T09:30:00+07:00", "2024-05-03T02:30:00Z" },
  { "2024-05-03T02:30:00Z", "2024-05-03T02:30:00Z" },
  { "2024-05-03t02:30:00z", "2024-05-03T02:30:00Z" },
  { "2024-05-03T02:30:00.123456Z", "2024-05-03T02:30:00.123456Z" },
  { "2024-05-03T02:30Z", "2024-05-03T02:30:00Z" },
  { "2024-05-03 09:30:00 +0700", "2024-05-03T02:30:00Z" },
  { "2024-05-03T09:30:00+07", "2024-05-03T02:30:00Z" },
  { "2024-05-03T04:30:00 CEST", "2024-05-03T02:30:00Z" },
  { "20240503T023000Z", "2024-05-03T02:30:00Z" },
  { "2024-05-03", "2024-05-03T00:00:00Z" },
  { "2024-05", "2024-05-01T00:00:00Z" },
  { "2024", "2024-01-01T00:00:00Z" },
  { "  2024-05-03T02:30:00Z  ", "2024-05-03T02:30:00Z" },
  /* RFC 822 and zone names */
  { "Fri, 03 May 2024 02:30:00 +0000", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 02:30:00 GMT", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 04:30:00 CEST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 03:30:00 CET", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 03:30:00 BST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 11:30:00 JST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 03:30:00 MET", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 04:30:00 MEST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 04:30:00 EET", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 05:30:00 EEST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 08:00:00 IST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 12:30:00 AEST", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 09:30:00 WIB", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 10:30:00 WITA", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 11:30:00 WIT", "2024-05-03T02:30:00Z" },
  { "Thu, 02 May 2024 22:30:00 EDT", "2024-05-03T02:30:00Z" },
  { "Thu, 02 May 2024 23:00:00 -0330", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 02:30:00 XYZ", "2024-05-03T02:30:00Z" },
  /* odd offsets */
  { "Fri, 03 May 2024 09:30:00 +7", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 09:30:00 +07", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 09:30:00 +7:00", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 09:30:00 GMT+7", "2024-05-03T02:30:00Z" },
  { "Fri, 03 May 2024 09:30:00 UTC+07:00", "2024-05-03T02:30:00Z" },
  /* without a time, two-digit years, full names, case */
  { "Fri, 03 May 2024", "2024-05-03T00:00:00Z" },
  { "fri, 3 may 24 02:30 +0000", "2024-05-03T02:30:00Z" },
  { "Friday, 03 May 2024 02:30:00 GMT", "2024-05-03T02:30:00Z" },
  { "Friday, May 3rd, 2024", "2024-05-03T00:00:00Z" },
  { "03-May-2024 02:30:00 GMT", "2024-05-03T02:30:00Z" },
  { "May 3, 2024 9:30 PM", "2024-05-03T21:30:00Z" },
  { "May 3, 2024 12:15 AM", "2024-05-03T00:15:00Z" },
  /* asctime and JavaScript's layout */
  { "Fri May  3 02:30:00 2024", "2024-05-03T02:30:00Z" },
  { "Fri May  3 02:30:00 UTC 2024", "2024-05-03T02:30:00Z" },
  { "Thu Aug 30 2012 15:43:11 GMT+0200 (CEST)", "2012-08-30T13:43:11Z" },
  { "Fri May 03 2024 09:30:00 GMT+0700 (Western Indonesia Time)", "2024-05-03T02:30:00Z" },
  /* the short US names, Perforce's slashes, a stray zero in the month */
  { "Tue, 07 May 2024 10:30:00 ET", "2024-05-07T15:30:00Z" },
  { "Tue, 07 May 2024 10:30:00 PT", "2024-05-07T18:30:00Z" },
  { "Tue, 2024/05/07 10:30:00 EDT", "2024-05-07T14:30:00Z" },
  { "2024-005-07T10:30:00Z", "2024-05-07T10:30:00Z" },
  /* not dates */
  { "", NULL },
  { "yesterday", NULL },
  { "Fri, 31 Feb 2024 02:30:00 GMT", NULL },
  { "Fri, 03 Foo 2024 02:30:00 GMT", NULL },
  { "Fri, 03 May 2024 25:30:00 GMT", NULL },
  { "2024-13-01", NULL },
  { "12345", NULL },
  { "2024-05-03Tgarbage", NULL },
  /* slips that would show a made-up date */
  { "Tue, 07 May 2024 1:2:3:4 GMT", NULL },
  { "Tue, May q 2024 10:30:00 GMT", NULL },
  { "Tue, 07 May 2024 10:30:00 +qq:00", NULL },
  { "Tue, 07 May 2024 10:30:00 +00:qq", NULL },
  { "Tue, 07 May 2024 10:30:00 -9999", NULL },
  { "2024-05-07-03", NULL },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = dtx_date_parse (cases[i].text);
      g_autofree char *formatted = date ? g_date_time_format_iso8601 (date) : NULL;

      g_test_message ("\"%s\" → %s", cases[i].text, formatted ? formatted : "none");
      g_assert_cmpstr (formatted, ==, cases[i].expected);
      if (date != NULL)
        g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 0);
    }
}

static void
test_zones (void)
{
  gint32 offset = 1;

  g_assert_true (dtx_date_zone_offset ("cest", &offset));
  g_assert_cmpint (offset, ==, 7200);
  g_assert_true (dtx_date_zone_offset ("NST", &offset));
  g_assert_cmpint (offset, ==, -(3 * 3600 + 1800));
  g_assert_false (dtx_date_zone_offset ("QQQ", &offset));
}

static void
test_null (void)
{
  g_assert_null (dtx_date_parse (NULL));
  g_assert_null (dtx_date_parse_iso8601 (NULL));
  g_assert_null (dtx_date_parse_rfc822 (NULL));
  /* Each parser only reads its own forms. */
  g_assert_null (dtx_date_parse_iso8601 ("Fri, 03 May 2024"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse", test_parse);
  g_test_add_func ("/date/zones", test_zones);
  g_test_add_func ("/date/null", test_null);

  return g_test_run ();
}
