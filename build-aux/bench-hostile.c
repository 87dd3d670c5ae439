/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Times the sanitiser and the text extraction (excerpts, search) on 10 MiB
 * of markup made to be slow, as build-aux/bench.py prints it: figures, not a
 * test (tests/test-sanitizer.c checks what comes out). */
#define G_LOG_DOMAIN "dtx-bench-hostile"
#include "config.h"

#include <stdio.h>

#include "dtx-sanitizer.h"

#define RUNS 5

/* One tag with 200,000 attributes and 100,000 nested elements, then either
 * more attributes on one tag (many_elements FALSE) or elements with
 * handlers, to 10 MiB. */
static char *
hostile_body (gboolean many_elements)
{
  GString *html = g_string_new ("<p class=\"lead\" onclick=\"alert(1)\"");

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (html, " a%u=\"%u\"", i, i);
  g_string_append (html, ">awal artikel</p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "tengah");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  if (many_elements)
    while (html->len < 10 * 1024 * 1024)
      g_string_append (html, "<span onmouseover=\"alert(2)\" title=\"x\">kata</span> ");
  else
    {
      g_string_append (html, "<span onmouseover=\"alert(2)\"");
      for (guint i = 0; html->len < 10 * 1024 * 1024; i++)
        g_string_append_printf (html, " b%u=\"%u\"", i, i);
      g_string_append (html, ">kata</span>");
    }
  g_string_append (html, "<p>akhir artikel</p>");
  return g_string_free (html, FALSE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static void
report (const char *what,
        double     *ms)
{
  qsort (ms, RUNS, sizeof *ms, compare_doubles);
  printf ("%-44s %6.0f ms (%.0f–%.0f, n=%d)\n", what, ms[RUNS / 2], ms[0], ms[RUNS - 1], RUNS);
}

int
main (void)
{
  for (int kind = 0; kind < 2; kind++)
    {
      g_autofree char *body = hostile_body (kind == 1);
      double t_text[RUNS], t_clean[RUNS];
      gsize out_len = 0;

      printf ("10 MiB hostile body, %s\n", kind == 1 ? "200,000 elements with handlers" : "attributes");
      for (int i = 0; i < RUNS; i++)
        {
          gint64 t0 = g_get_monotonic_time ();
          g_autofree char *text = dtx_sanitizer_to_text (body);
          gint64 t1 = g_get_monotonic_time ();
          g_autofree char *clean = dtx_sanitizer_clean (body, "https://contoh.id/a/");
          gint64 t2 = g_get_monotonic_time ();

          t_text[i] = (t1 - t0) / 1000.0;
          t_clean[i] = (t2 - t1) / 1000.0;
          out_len = strlen (clean);
        }
      report ("  text extraction (excerpts, search)", t_text);
      report ("  sanitising for the reader", t_clean);
      printf ("  sanitised: %zu KiB\n", out_len / 1024);
    }
  return 0;
}
