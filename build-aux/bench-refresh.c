/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A refresh of many sources, as the app does it: DtxSourceManager with a
 * real store in a temporary folder, against RSS feeds served on loopback
 * by a second process (so the figures are the reader's alone).
 *
 *   bench-refresh [N_SOURCES]      (default 100)
 *
 * N sources over 20 loopback hosts (127.0.0.1-20, one port), 10-500 items
 * each with ~1.2 KB of text per item. Refresh 1: every feed is new. Refresh
 * 2: 80 % of the feeds have 5 new items, 20 % answer 304 Not Modified.
 * For each: wall time, new articles, what the server answered, and the
 * longest stall of the main loop (a 1 ms timeout source measuring the gaps
 * between its runs); then the peak PSS over both, sampled by a thread every
 * 50 ms (reading smaps_rollup takes the memory map lock: more often
 * would stall the loop it measures). A benchmark reports; it exits 0 even when a target is missed.
 *
 *   bench-refresh --serve N_SOURCES   (the server; prints its port) */
#define G_LOG_DOMAIN "dtx-bench-refresh"
#include "config.h"

#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtx-source-manager.h"
#include "dtx-store-private.h"
#include "dtx-test-feeds.h"
#include "dtx-test-site.h"

#define N_HOSTS 20
#define STALL_TARGET_MS 50.0

static guint
items_of (guint i)
{
  /* Spread over 10-500, the same every run. */
  return 10 + (i * 7919u) % 491u;
}

static char *
name_of (guint i)
{
  return g_strdup_printf ("s%03u", i);
}

/* ------------------------------------------------------------------------ */
/* The server process                                                        */

static int
serve (guint n_sources)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  DtxTestFeeds *feeds = dtx_test_feeds_new (N_HOSTS);
  g_autofree char *url = dtx_test_feeds_url (feeds, 1, "x");
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  for (guint i = 0; i < n_sources; i++)
    {
      g_autofree char *name = name_of (i);

      dtx_test_feeds_configure (feeds, name, &(DtxTestFeedConfig) {
          .n_items = items_of (i), .first = 100000, .body_bytes = 1200,
          .etag = TRUE, .last_modified = TRUE,
          /* Every fifth feed does not change: a 304 the second time. */
          .grows = i % 5 == 0 ? 0 : 5 });
    }
  printf ("%d\n", g_uri_get_port (uri));
  fflush (stdout);
  /* Until the parent ends it. */
  g_main_loop_run (loop);
  dtx_test_feeds_free (feeds);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Measuring                                                                 */

static double
pss_mb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return 0;
  line = strstr (text, "\nPss:");
  return line != NULL ? g_ascii_strtod (line + 5, NULL) / 1024.0 : 0;
}

static gint peak_pss_kb;     /* atomic */
static gint sampling = 1;    /* atomic */

static gpointer
sample_pss (gpointer data)
{
  while (g_atomic_int_get (&sampling))
    {
      gint kb = (gint)(pss_mb () * 1024);

      if (kb > g_atomic_int_get (&peak_pss_kb))
        g_atomic_int_set (&peak_pss_kb, kb);
      g_usleep (50000);
    }
  return NULL;
}

/* CPU time of the calling thread: what the main loop itself spent. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef struct {
  gint64  last;
  double  last_cpu;
  double  busiest_ms;  /* main-thread CPU between two ticks: our own work */
  gint64  longest;
  guint   over_16ms;
  guint   over_50ms;
  guint   ticks;
} Ticker;

static gboolean
tick (gpointer data)
{
  Ticker *t = data;
  gint64 now = g_get_monotonic_time ();
  double cpu = thread_cpu_ms ();

  if (t->last != 0)
    {
      gint64 gap = now - t->last;

      t->busiest_ms = MAX (t->busiest_ms, cpu - t->last_cpu);
      t->longest = MAX (t->longest, gap);
      t->over_16ms += gap > 16000;
      t->over_50ms += gap > 50000;
    }
  t->last = now;
  t->last_cpu = cpu;
  t->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static char *
server_stats (DtxFetcher *fetcher,
              guint       port)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/stats", port);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DtxResponse) response = NULL;

  dtx_fetcher_get_async (fetcher, url, NULL, store_result, &result);
  wait_for (&result);
  response = dtx_fetcher_get_finish (fetcher, result, NULL);
  if (response == NULL || response->body == NULL)
    return g_strdup ("?");
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " ") + 5);
}

typedef struct {
  double  seconds;
  double  main_cpu_ms;
  guint   n_new;
  Ticker  ticker;
  char   *stats;
} Run;

static void
refresh_all (DtxSourceManager *manager,
             DtxFetcher       *fetcher,
             guint             port,
             Run              *run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  guint id;

  memset (run, 0, sizeof *run);
  id = g_timeout_add (1, tick, &run->ticker);
  /* A first tick, so the first gap counts from the start. */
  while (run->ticker.ticks == 0)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  run->main_cpu_ms = thread_cpu_ms ();
  dtx_source_manager_refresh_async (manager, NULL, NULL, store_result, &result);
  wait_for (&result);
  run->seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  run->main_cpu_ms = thread_cpu_ms () - run->main_cpu_ms;
  g_source_remove (id);

  if (!dtx_source_manager_refresh_finish (manager, result, &run->n_new, &error))
    g_printerr ("Refresh failed: %s\n", error->message);
  run->stats = server_stats (fetcher, port);
}

static void
print_run (const char *what,
           const Run  *run)
{
  double longest = run->ticker.longest / 1000.0;

  printf ("%s\n", what);
  printf ("  wall time             %8.2f s\n", run->seconds);
  printf ("  new articles          %8u\n", run->n_new);
  /* Small beside the wall time: the main loop mostly waits, and a stall
   * on a busy machine is the scheduler's as much as ours. */
  printf ("  main thread CPU       %8.0f ms (ticking included)\n", run->main_cpu_ms);
  printf ("  server, so far        %s\n", run->stats);
  printf ("  longest main-loop stall %6.1f ms  (target <= %.0f ms: %s); gaps > 16 ms: %u, > 50 ms: %u, ticks: %u\n",
          longest, STALL_TARGET_MS, longest <= STALL_TARGET_MS ? "met" : "MISSED",
          run->ticker.over_16ms, run->ticker.over_50ms, run->ticker.ticks);
  /* A gap is the loop's own work plus the time the scheduler gave others. */
  printf ("  longest main-thread work between two ticks %.1f ms (CPU time)\n", run->ticker.busiest_ms);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) server_out = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *path = NULL;
  g_autoptr(DtxFetcher) fetcher = NULL;
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(DtxSourceManager) manager = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GThread *sampler;
  Run first, second;
  guint n_sources = 100, port, total_items = 0;
  double pss_start, settle;
  gint64 t0;

  if (argc >= 3 && g_str_equal (argv[1], "--serve"))
    return serve ((guint)atoi (argv[2]));
  if (argc >= 2)
    n_sources = MAX (1, atoi (argv[1]));

  dir = g_dir_make_tmp ("dtx-bench-refresh-XXXXXX", &error);
  g_assert_no_error (error);
  /* Icons go to a cache of the run's own. */
  cache = g_build_filename (dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  path = g_build_filename (dir, "store.db", NULL);

  {
    g_autofree char *n = g_strdup_printf ("%u", n_sources);

    server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                               argv[0], "--serve", n, NULL);
    g_assert_no_error (error);
    server_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
    port_line = g_data_input_stream_read_line (server_out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (port_line);
    port = (guint)atoi (port_line);
  }

  fetcher = dtx_fetcher_new ();
  store = dtx_store_new (path);
  dtx_store_open_async (store, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (dtx_store_open_finish (store, result, NULL, NULL, &error));
  g_clear_object (&result);

  for (guint i = 0; i < n_sources; i++)
    {
      g_autofree char *name = name_of (i);
      g_autofree char *url = g_strdup_printf ("http://127.0.0.%u:%u/feed/%s", 1 + i % N_HOSTS, port, name);
      g_autoptr(DtxStoreSource) row = dtx_store_source_new (url);

      row->kind = DTX_SOURCE_KIND_FEED;
      dtx_store_add_source_async (store, row, NULL, store_result, &result);
      wait_for (&result);
      g_assert_true (dtx_store_add_source_finish (store, result, &error));
      g_clear_object (&result);
      total_items += items_of (i);
    }

  manager = dtx_source_manager_new (fetcher, store);
  dtx_source_manager_load_async (manager, NULL, store_result, &result);
  wait_for (&result);
  g_assert_true (dtx_source_manager_load_finish (manager, result, &error));
  g_clear_object (&result);

  /* The first request loads GIO's modules: not part of a refresh. */
  g_proxy_resolver_get_default ();
  g_tls_backend_get_default ();

  pss_start = pss_mb ();
  g_atomic_int_set (&peak_pss_kb, (gint)(pss_start * 1024));
  sampler = g_thread_new ("pss", sample_pss, NULL);

  printf ("Refresh of %u sources on %u loopback hosts, %u items in all (10-500 per feed, ~1.2 KB each)\n",
          n_sources, MIN (n_sources, N_HOSTS), total_items);
  {
    g_autofree char *load = load_average ();

    printf ("Limits: %d connections in all, %d per host; %u CPUs, load average %s\n",
            DTX_SOURCE_MANAGER_MAX_CONNS, DTX_SOURCE_MANAGER_MAX_CONNS_PER_HOST,
            g_get_num_processors (), load);
  }

  refresh_all (manager, fetcher, port, &first);
  print_run ("Refresh 1 (every feed new)", &first);

  /* The store indexes new rows when idle: done here, apart from the runs. */
  t0 = g_get_monotonic_time ();
  dtx_store_finish_background_for_testing_async (store, store_result, &result);
  wait_for (&result);
  g_clear_object (&result);
  settle = (g_get_monotonic_time () - t0) / (double)G_USEC_PER_SEC;
  printf ("Store settling (search index) between the runs: %.2f s\n", settle);

  refresh_all (manager, fetcher, port, &second);
  print_run ("Refresh 2 (80 % with 5 new items, 20 % 304 Not Modified)", &second);

  g_atomic_int_set (&sampling, 0);
  g_thread_join (sampler);
  printf ("PSS: %.1f MB before, peak %.1f MB during the refreshes (+%.1f MB)\n",
          pss_start, g_atomic_int_get (&peak_pss_kb) / 1024.0,
          g_atomic_int_get (&peak_pss_kb) / 1024.0 - pss_start);

  g_clear_object (&manager);
  dtx_store_close (store);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  dtx_test_remove_tree (dir);
  g_free (first.stats);
  g_free (second.stats);
  return 0;
}
