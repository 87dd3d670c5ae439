/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-probe"
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <gtk/gtk.h>

#include "dtx-probe.h"

#define TICK_MS 4

static gint64 last_tick;
static gint64 last_tick_cpu;
static GdkFrameClock *watched_clock;
static gint64 frame_phase_start;
static GPtrArray *pending_painted; /* marks "…-painted" waiting for the paint's end */

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
  /* Asked for from a tick callback, at the start of the frame that shows
   * something: printed when that frame has been laid out and painted. */
  if (watched_clock != NULL && g_str_has_suffix (what, "-painted"))
    {
      if (pending_painted == NULL)
        pending_painted = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (pending_painted, g_strdup (what));
      return;
    }
  fprintf (stderr, "DTX-PROBE %s %" G_GINT64_FORMAT "\n", what, g_get_monotonic_time ());
  fflush (stderr);
}

static void
print_span (const char *what,
            gint64      now,
            gint64      length)
{
  fprintf (stderr, "DTX-PROBE %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", what, now, length);
  fflush (stderr);
}

/* A frame's layout and paint phases, when one takes long enough to count:
 * tells a stall that is a frame (GTK measuring rows, the renderer) from
 * other work on the main loop. */
static void
on_phase_start (GdkFrameClock *clock)
{
  frame_phase_start = g_get_monotonic_time ();
}

static void
on_layout_done (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  if (now - frame_phase_start > 4000)
    print_span ("frame-layout", now, now - frame_phase_start);
  frame_phase_start = now;
}

static void
on_paint_done (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  if (now - frame_phase_start > 4000)
    print_span ("frame-paint", now, now - frame_phase_start);
  frame_phase_start = now;
  for (guint i = 0; pending_painted != NULL && i < pending_painted->len; i++)
    fprintf (stderr, "DTX-PROBE %s %" G_GINT64_FORMAT "\n", (char *)g_ptr_array_index (pending_painted, i), now);
  fflush (stderr);
  if (pending_painted != NULL)
    g_ptr_array_set_size (pending_painted, 0);
}

static void
watch_frames (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; watched_clock == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

      if (clock == NULL || !GTK_IS_APPLICATION_WINDOW (window))
        continue;
      watched_clock = clock;
      /* Connected after GTK's own handlers, so these see them done:
       * "update" (tick callbacks), then "layout", then "paint". */
      g_signal_connect_after (clock, "before-paint", G_CALLBACK (on_phase_start), NULL);
      g_signal_connect_after (clock, "update", G_CALLBACK (on_phase_start), NULL);
      g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_done), NULL);
      g_signal_connect_after (clock, "paint", G_CALLBACK (on_paint_done), NULL);
    }
}

/* CPU time this thread has used, µs: tells a stall that is work on the
 * main thread from one where it waited for a CPU (the machine is shared). */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* A timeout that should run every TICK_MS: a longer gap is a main loop busy
 * elsewhere (the frame clock stops ticking when nothing animates). */
static gboolean
on_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();
  gint64 gap = now - last_tick - TICK_MS * 1000;

  if (gap > 16000)
    {
      print_span ("stall", now, gap);
      print_span ("stall-cpu", now, cpu - last_tick_cpu);
    }
  last_tick = now;
  last_tick_cpu = cpu;
  if (watched_clock == NULL)
    watch_frames ();
  return G_SOURCE_CONTINUE;
}

void
dtx_probe_start (void)
{
  if (!dtx_probe_enabled () || last_tick != 0)
    return;
  last_tick = g_get_monotonic_time ();
  last_tick_cpu = thread_cpu_time ();
  g_timeout_add_full (G_PRIORITY_HIGH, TICK_MS, on_tick, NULL, NULL);
}

gboolean
dtx_probe_warm_up_held (void)
{
  return g_strcmp0 (g_getenv ("DTX_BENCH_NO_WARMUP"), "1") == 0;
}
