/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-renderer"
#include "config.h"

#include "dtx-renderer.h"

/* GTK draws with OpenGL by default. With no GPU to run it, Mesa runs it on
 * the CPU (llvmpipe), which compiles every new kind of drawing with LLVM as
 * it first meets it and keeps LLVM in memory: measured here (build-aux/dev
 * bench), a feed's first rows took 214 ms to paint against 29 ms with GTK's
 * cairo renderer, the first article 225 ms against 98, and the idle app
 * 167 MB of memory against 64. So where there is no GPU, cairo draws.
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

/* Before GTK starts; GSK_RENDERER set by the user wins. */
void
dtx_renderer_choose (void)
{
  const char *renderer;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return;
  renderer = dtx_renderer_pick ("/dev", g_getenv ("LIBGL_ALWAYS_SOFTWARE"));
  if (renderer != NULL)
    g_setenv ("GSK_RENDERER", renderer, FALSE);
}
