/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-probe"
#include "config.h"

#include <stdio.h>

#include "dtx-probe.h"

#define TICK_MS 4

static gint64 last_tick;

gboolean
dtx_probe_enabled (void)
{
  static gsize once;
  static gboolean enabled;

  if (g_once_init_enter (&once))
    {
      enabled = g_strcmp0 (g_getenv ("DTX_BENCH_PROBE"), "1") == 0;
      g_once_init_leave (&once, 1);
    }
  return enabled;
}

void
dtx_probe_mark (const char *what)
{
  if (!dtx_probe_enabled ())
    return;
  fprintf (stderr, "DTX-PROBE %s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stderr);
}

/* A timeout that should run every TICK_MS: a longer gap is a main loop busy
 * elsewhere (the frame clock stops ticking when nothing animates). */
static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 gap = now - last_tick - TICK_MS * 1000;

  if (gap > 16000)
    {
      fprintf (stderr, "DTX-PROBE stall %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", now, gap);
      fflush (stderr);
    }
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

void
dtx_probe_start (void)
{
  if (!dtx_probe_enabled () || last_tick != 0)
    return;
  last_tick = g_get_monotonic_time ();
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, NULL, NULL);
}

gboolean
dtx_probe_warm_up_held (void)
{
  return g_strcmp0 (g_getenv ("DTX_BENCH_NO_WARMUP"), "1") == 0;
}
