/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-bench-parse"
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "dtx-feed.h"

/* build-aux/dev bench parse: dtx_feed_parse() on a 10,000-item RSS feed
 * and a 10,000-item Atom feed, beside libxml2's own streaming parse of the
 * same files (xmllint --stream --noout) in the same run. Figures, not a
 * test. */

#define N_ITEMS 10000
#define RUNS    5

static const char *words[] = {
  "ponsel", "laptop", "jaringan", "aplikasi", "baterai", "layar", "kamera", "prosesor",
  "Linux", "GNOME", "keamanan", "pembaruan", "fitur", "harga", "rilis", "pengguna",
};

static void
append_words (GString *s,
              guint    seed,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", words[(seed * 7 + i * 13) % G_N_ELEMENTS (words)]);
}

static GString *
make_rss (guint n_items)
{
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
                             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Bench</title>"
                             "<link>https://bench.example/</link><description>Bench feed</description>\n");

  for (guint i = 0; i < n_items; i++)
    {
      g_string_append (s, "<item><title>");
      append_words (s, i, 8);
      g_string_append_printf (s, "</title><link>https://bench.example/%u/artikel-%u/</link>"
                              "<dc:creator><![CDATA[Redaksi Bench]]></dc:creator>"
                              "<pubDate>Fri, %02u May 2024 %02u:30:00 +0000</pubDate>"
                              "<category><![CDATA[Teknologi]]></category><category><![CDATA[Gadget]]></category>"
                              "<category><![CDATA[Tag %u]]></category>"
                              "<guid isPermaLink=\"false\">https://bench.example/?p=%u</guid><description><![CDATA[",
                              i, i, 1 + i % 28, i % 24, i % 50, 1000 + i);
      append_words (s, i + 1, 30);
      g_string_append (s, " [&#8230;]]]></description><content:encoded><![CDATA[<p>");
      append_words (s, i + 2, 60);
      g_string_append_printf (s, "</p><p><img src=\"https://bench.example/wp-content/uploads/2024/05/gambar-%u.jpg\" "
                              "alt=\"\" width=\"800\" height=\"450\"></p><p>", i);
      append_words (s, i + 3, 60);
      g_string_append_printf (s, " <a href=\"https://bench.example/%u/\">Baca juga</a>.</p>]]></content:encoded></item>\n", i + 1);
    }
  g_string_append (s, "</channel></rss>\n");
  return s;
}

static GString *
make_atom (guint n_items)
{
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                             "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://bench.example/\">"
                             "<title>Bench</title><id>urn:bench</id><updated>2024-05-03T00:00:00Z</updated>\n");

  for (guint i = 0; i < n_items; i++)
    {
      g_string_append (s, "<entry><title type=\"html\">");
      append_words (s, i, 8);
      g_string_append_printf (s, "</title><link rel=\"alternate\" type=\"text/html\" href=\"https://bench.example/%u/\"/>"
                              "<id>tag:bench.example,2024:%u</id><published>2024-05-%02uT%02u:30:00Z</published>"
                              "<updated>2024-05-%02uT%02u:31:00Z</updated><author><name>Redaksi Bench</name></author>"
                              "<category term=\"Teknologi\"/><category term=\"Gadget\"/><category term=\"Tag %u\"/>"
                              "<summary type=\"html\">",
                              i, i, 1 + i % 28, i % 24, 1 + i % 28, i % 24, i % 50);
      append_words (s, i + 1, 30);
      g_string_append (s, "</summary><content type=\"html\">&lt;p&gt;");
      append_words (s, i + 2, 60);
      g_string_append_printf (s, "&lt;/p&gt;&lt;p&gt;&lt;img src=\"https://bench.example/img/gambar-%u.jpg\" "
                              "alt=\"\"&gt;&lt;/p&gt;&lt;p&gt;", i);
      append_words (s, i + 3, 60);
      g_string_append (s, "&lt;/p&gt;</content></entry>\n");
    }
  g_string_append (s, "</feed>\n");
  return s;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v)
{
  qsort (v, RUNS, sizeof *v, compare_double);
  return v[RUNS / 2];
}

/* CPU seconds (user + system) of this process or of its children: on a
 * machine shared with other work, wall time says more about the others. */
static double
cpu_time (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double
time_parse (GString *doc,
            guint    n_items,
            double  *cpu)
{
  g_autoptr(GBytes) bytes = g_bytes_new (doc->str, doc->len);
  double t[RUNS], c[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) articles = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_time (RUSAGE_SELF);

      articles = dtx_feed_parse (bytes, "https://bench.example/feed/", NULL, &error);
      t[r] = (g_get_monotonic_time () - start) / 1e6;
      c[r] = cpu_time (RUSAGE_SELF) - cpu_start;
      if (articles == NULL || articles->len != n_items)
        g_error ("parse failed: %s", error ? error->message : "wrong count");
    }
  *cpu = median (c);
  return median (t);
}

static double
time_xmllint (const char *path,
              double     *cpu)
{
  const char *argv[] = { "xmllint", "--stream", "--noout", path, NULL };
  double t[RUNS], c[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      int status = 0;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = cpu_time (RUSAGE_CHILDREN);

      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                         &status, &error) || !g_spawn_check_wait_status (status, &error))
        g_error ("xmllint: %s", error->message);
      t[r] = (g_get_monotonic_time () - start) / 1e6;
      c[r] = cpu_time (RUSAGE_CHILDREN) - cpu_start;
    }
  *cpu = median (c);
  return median (t);
}

static void
bench (const char *name,
       GString    *doc,
       const char *dir)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  double ours, lint, ours_cpu, lint_cpu, mb = doc->len / 1e6;

  g_file_set_contents (path, doc->str, doc->len, NULL);
  ours = time_parse (doc, N_ITEMS, &ours_cpu);
  lint = time_xmllint (path, &lint_cpu);
  printf ("%-5s %5.1f MB %5u items | dtx_feed_parse %6.3f s %7.0f items/s %6.1f MB/s (CPU %6.1f MB/s) | "
          "xmllint --stream %6.3f s %6.1f MB/s (CPU %6.1f MB/s) | ratio %3.0f %% (CPU %3.0f %%)\n",
          name, mb, N_ITEMS, ours, N_ITEMS / ours, mb / ours, mb / ours_cpu, lint, mb / lint,
          mb / lint_cpu, 100 * lint / ours, 100 * lint_cpu / ours_cpu);
}

int
main (int argc, char *argv[])
{
  const char *keep = g_getenv ("DTX_BENCH_PARSE_DIR");
  g_autofree char *dir = keep ? g_strdup (keep) : g_dir_make_tmp ("dtx-bench-parse-XXXXXX", NULL);
  g_autoptr(GString) rss = make_rss (N_ITEMS);
  g_autoptr(GString) atom = make_atom (N_ITEMS);
  g_autofree char *rss_path = g_build_filename (dir, "rss", NULL);
  g_autofree char *atom_path = g_build_filename (dir, "atom", NULL);

  printf ("Feed parse throughput, median of %d runs (ratio: our MB/s over xmllint's; target >= 50 %%)\n", RUNS);
  bench ("rss", rss, dir);
  bench ("atom", atom, dir);

  /* Linear in the input: CPU time per item stays flat from 2,500 to
   * 40,000 items. */
  printf ("CPU µs per item at 2,500 / 10,000 / 40,000 items:");
  for (guint f = 0; f < 2; f++)
    {
      printf ("  %s", f ? "atom" : "rss");
      for (guint n = 2500; n <= 40000; n *= 4)
        {
          g_autoptr(GString) doc = f ? make_atom (n) : make_rss (n);
          double cpu;

          time_parse (doc, n, &cpu);
          printf (" %.1f", 1e6 * cpu / n);
        }
    }
  printf ("\n");

  if (keep == NULL)
    {
      g_unlink (rss_path);
      g_unlink (atom_path);
      g_rmdir (dir);
    }
  return 0;
}
