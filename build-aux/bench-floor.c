/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The benchmark's floor: the least any libadwaita application pays to show
 * a window here. It registers on the session bus like the app does and
 * presents an empty AdwApplicationWindow of the app's default size.
 * build-aux/bench.py compiles it twice, with the app's renderer choice
 * (src/ui/dtx-renderer.c; config.h from the build folder):
 *   cc bench-floor.c ../src/ui/dtx-renderer.c -I../src/ui -IBUILD \
 *      $(pkg-config --cflags --libs libadwaita-1) -O2
 *   the same with -DFLOOR_WEBKIT and webkitgtk-6.0 added
 * With FLOOR_AS_APP=1 it draws as the app would: it makes the app's choice
 * of renderer first (the benchmark's "default" renderer). */

#include <stdio.h>
#include <stdlib.h>
#include <adwaita.h>
#include "dtx-renderer.h"
#ifdef FLOOR_WEBKIT
# include <webkit/webkit.h>
#endif

#if !GLIB_CHECK_VERSION (2, 74, 0)
# define G_APPLICATION_DEFAULT_FLAGS G_APPLICATION_FLAGS_NONE
#endif

/* With FLOOR_FRAMES_AFTER=SECONDS: that long after the window shows, it
 * repaints itself whole 20 times and prints how long each frame's paint took
 * ("DTX-PROBE floor-frame <end µs> <length µs>" on stderr): what one frame
 * costs this renderer here, the least any click can wait for. */
static gint64 paint_start;
static int frames_left = 20;

static void
on_before_paint (GdkFrameClock *clock)
{
  paint_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock)
{
  gint64 now = g_get_monotonic_time ();

  if (paint_start != 0)
    {
      fprintf (stderr, "DTX-PROBE floor-frame %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", now, now - paint_start);
      fflush (stderr);
    }
}

/* A change of colour over the whole window, so every pixel is drawn again
 * (an unchanged window would be skipped as undamaged). */
static gboolean
repaint (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  if (frames_left % 2)
    gtk_widget_add_css_class (widget, "floor-tint");
  else
    gtk_widget_remove_css_class (widget, "floor-tint");
  return --frames_left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
start_repainting (gpointer data)
{
  GtkWidget *window = data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  GtkCssProvider *css = gtk_css_provider_new ();

  gtk_css_provider_load_from_data (css, "window.floor-tint { background-color: #f6f5f4; }", -1);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (window), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (css);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_add_tick_callback (window, repaint, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
#ifdef FLOOR_WEBKIT
  /* The second floor: WebKit's own price, one web view with the reader's
   * settings showing a short page, and nothing else. */
  {
    WebKitSettings *settings = webkit_settings_new_with_settings (
      "enable-javascript-markup", FALSE,
      "hardware-acceleration-policy", WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER,
      NULL);
    GtkWidget *view = g_object_new (WEBKIT_TYPE_WEB_VIEW, "settings", settings, NULL);

    webkit_web_view_load_html (WEBKIT_WEB_VIEW (view),
                               "<h1>Judul</h1><p>Sebuah paragraf artikel.</p>", "http://127.0.0.1/");
    adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), view);
    g_object_unref (settings);
  }
#endif
  gtk_window_present (GTK_WINDOW (window));
  if (g_getenv ("FLOOR_FRAMES_AFTER") != NULL)
    g_timeout_add (atof (g_getenv ("FLOOR_FRAMES_AFTER")) * 1000, start_repainting, window);
}

int
main (int   argc,
      char *argv[])
{
  AdwApplication *app = adw_application_new ("id.digitripx.Reader.BenchFloor",
                                             G_APPLICATION_DEFAULT_FLAGS);
  int status;

  /* For bench.py: the renderer the app picks here ("gtk": GTK's own). */
  if (argc == 2 && g_str_equal (argv[1], "--app-renderer"))
    {
      const char *renderer = dtx_renderer_pick ("/dev", g_getenv ("LIBGL_ALWAYS_SOFTWARE"));

      g_print ("%s\n", renderer != NULL ? renderer : "gtk");
      g_object_unref (app);
      return 0;
    }
  if (g_strcmp0 (g_getenv ("FLOOR_AS_APP"), "1") == 0)
    dtx_renderer_choose ();
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  g_object_unref (app);
  return status;
}
