/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-renderer"
#include "config.h"

#include "dtx-renderer.h"

/* GTK draws with OpenGL by default. With no GPU to run it, Mesa runs it on
 * the CPU (llvmpipe), which compiles every new kind of drawing with LLVM as
 * it first meets it and keeps LLVM in memory: measured here (build-aux/dev
 * bench), a feed's first rows took 87 ms to paint against 12 ms with GTK's
 * cairo renderer, the first article 185 ms against 72, and the idle app
 * 177 MB of memory against 44. So where there is no GPU, cairo draws.
 *
 * No GPU: no DRM render node (/dev/dri/renderD*; a Flatpak sees one only
 * with --device=dri, without which Mesa renders in software anyway) and no
 * NVIDIA device, or Mesa told to render in software. Returns the renderer
 * to use, or NULL for GTK's own choice. */
const char *
dtx_renderer_pick (const char *dev_dir,
                   const char *always_software)
{
  g_autofree char *dri = g_build_filename (dev_dir, "dri", NULL);
  g_autofree char *nvidia = g_build_filename (dev_dir, "nvidiactl", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (always_software != NULL && (g_str_equal (always_software, "1") ||
                                  g_ascii_strcasecmp (always_software, "true") == 0 ||
                                  g_ascii_strcasecmp (always_software, "yes") == 0))
    return "cairo";
  if (g_file_test (nvidia, G_FILE_TEST_EXISTS))
    return NULL;
  dir = g_dir_open (dri, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;
  return "cairo";
}

static gboolean chose;       /* GSK_RENDERER and GDK_DEBUG are the app's own */
static char *users_gdk_debug;

/* Before GTK starts; GSK_RENDERER set by the user wins. With cairo, GDK is
 * also told to leave OpenGL alone (GDK_DEBUG=gl-disable): it would load
 * Mesa and LLVM at start anyway, to pick an X visual: 26 MB of the idle
 * app's memory here, and 20 ms before the window shows. */
void
dtx_renderer_choose (void)
{
  const char *renderer;
  const char *debug;
  g_autofree char *flags = NULL;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  renderer = dtx_renderer_pick ("/dev", g_getenv ("LIBGL_ALWAYS_SOFTWARE"));
  if (renderer == NULL)
    return;
  chose = TRUE;
  g_setenv ("GSK_RENDERER", renderer, TRUE);
  debug = g_getenv ("GDK_DEBUG");
  g_free (users_gdk_debug);
  users_gdk_debug = g_strdup (debug);
  flags = debug != NULL && *debug != '\0' ? g_strconcat (debug, ",gl-disable", NULL) : g_strdup ("gl-disable");
  g_setenv ("GDK_DEBUG", flags, TRUE);
}

gboolean
dtx_renderer_gdk_gl_disabled (void)
{
  return chose;
}

/* What dtx_renderer_choose() set is the app's, not the apps it starts. */
void
dtx_renderer_restore_for (GAppLaunchContext *context)
{
  g_return_if_fail (G_IS_APP_LAUNCH_CONTEXT (context));

  if (!chose)
    return;
  g_app_launch_context_unsetenv (context, "GSK_RENDERER");
  if (users_gdk_debug != NULL)
    g_app_launch_context_setenv (context, "GDK_DEBUG", users_gdk_debug);
  else
    g_app_launch_context_unsetenv (context, "GDK_DEBUG");
}
