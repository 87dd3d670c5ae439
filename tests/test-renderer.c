/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-renderer"
#include "config.h"

#include <glib/gstdio.h>

#include "dtx-renderer.h"

/* A /dev of the test's own, holding the named device files. */
static char *
make_dev (const char * const *files)
{
  char *dev = g_dir_make_tmp ("dtx-dev-XXXXXX", NULL);

  g_assert_nonnull (dev);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dev, files[i], NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  return dev;
}

static void
remove_dev (char *dev, const char * const *files)
{
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dev, files[i], NULL);
      g_autofree char *parent = g_path_get_dirname (path);

      g_remove (path);
      if (g_strcmp0 (parent, dev) != 0)
        g_rmdir (parent);
    }
  g_rmdir (dev);
  g_free (dev);
}

static const char *
pick_for (const char * const *files, const char *always_software)
{
  char *dev = make_dev (files);
  const char *renderer = dtx_renderer_pick (dev, always_software);

  remove_dev (dev, files);
  return renderer;
}

/* A GPU's render node, or NVIDIA's device: GTK picks (GL). */
static void
test_gpu_keeps_gtk_choice (void)
{
  g_assert_null (pick_for ((const char *[]) { "dri/card0", "dri/renderD128", NULL }, NULL));
  g_assert_null (pick_for ((const char *[]) { "nvidiactl", "nvidia0", NULL }, NULL));
  g_assert_null (pick_for ((const char *[]) { "dri/renderD128", NULL }, "0"));
}

/* No GPU (a virtual machine, a Flatpak without --device=dri, a display
 * card with no render node), or Mesa told to render in software: cairo. */
static void
test_no_gpu_draws_with_cairo (void)
{
  g_assert_cmpstr (pick_for ((const char *[]) { NULL }, NULL), ==, "cairo");
  g_assert_cmpstr (pick_for ((const char *[]) { "dri/card0", NULL }, NULL), ==, "cairo");
  g_assert_cmpstr (pick_for ((const char *[]) { "dri/renderD128", NULL }, "1"), ==, "cairo");
  g_assert_cmpstr (pick_for ((const char *[]) { "nvidiactl", NULL }, "true"), ==, "cairo");
}

/* The user's GSK_RENDERER wins. */
static void
test_user_choice_wins (void)
{
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  dtx_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");

  g_unsetenv ("GSK_RENDERER");
  dtx_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
}

static char *
launch_env (GAppLaunchContext *context,
            const char        *name)
{
  g_auto(GStrv) env = g_app_launch_context_get_environment (context);

  return g_strdup (g_environ_getenv (env, name));
}

/* Drawing with cairo, GDK leaves OpenGL alone (it would load Mesa to pick
 * a visual), the user's own GDK_DEBUG flags kept; the apps the app starts
 * get the environment as the user set it. */
static void
test_cairo_without_gl (void)
{
  g_autoptr(GAppLaunchContext) context = g_app_launch_context_new ();
  g_autofree char *renderer = NULL;
  g_autofree char *debug = NULL;

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "portals", TRUE);
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  dtx_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "portals,gl-disable");

  dtx_renderer_restore_for (context);
  renderer = launch_env (context, "GSK_RENDERER");
  debug = launch_env (context, "GDK_DEBUG");
  g_assert_null (renderer);
  g_assert_cmpstr (debug, ==, "portals");
  g_clear_object (&context);
  g_clear_pointer (&debug, g_free);

  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  dtx_renderer_choose ();
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
  context = g_app_launch_context_new ();
  dtx_renderer_restore_for (context);
  debug = launch_env (context, "GDK_DEBUG");
  g_assert_null (debug);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/renderer/gpu-keeps-gtk-choice", test_gpu_keeps_gtk_choice);
  g_test_add_func ("/renderer/no-gpu-draws-with-cairo", test_no_gpu_draws_with_cairo);
  g_test_add_func ("/renderer/user-choice-wins", test_user_choice_wins);
  g_test_add_func ("/renderer/cairo-without-gl", test_cairo_without_gl);
  return g_test_run ();
}
