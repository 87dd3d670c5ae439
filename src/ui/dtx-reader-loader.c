/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-reader-loader"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "dtx-error.h"
#include "dtx-reader-loader.h"
#include "dtx-renderer.h"

#define MODULE_NAME "libdtx-reader-view.so"

/* $DTX_MODULE_DIR (tests), beside the executable in a build tree, else where
 * meson installs it. */
static char *
find_module (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  const char *dir = g_getenv ("DTX_MODULE_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, MODULE_NAME, NULL);

  if (exe != NULL)
    {
      g_autofree char *exe_dir = g_path_get_dirname (exe);
      g_autofree char *path = g_build_filename (exe_dir, MODULE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }
  return g_build_filename (PKGLIBDIR, MODULE_NAME, NULL);
}

static void
preload_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autofree char *path = NULL;
  GModule *module;

  if (g_type_from_name ("DtxReaderView") != 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  path = find_module ();
  /* Mapping and relocating WebKit and its libraries is the long part: it
   * happens here, and dtx_reader_loader_get_type() finds it done. This
   * handle stays open, so the library stays mapped. */
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND, "%s", g_module_error ());
      return;
    }
  /* With GDK's OpenGL on, GDK has loaded the driver already. */
  if (dtx_renderer_gdk_gl_disabled ())
    {
      void (*preload_graphics) (void) = NULL;

      if (g_module_symbol (module, "dtx_reader_view_preload_graphics", (gpointer *)&preload_graphics) &&
          preload_graphics != NULL)
        preload_graphics ();
    }
  g_task_return_boolean (task, TRUE);
}

void
dtx_reader_loader_preload_async (GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, dtx_reader_loader_preload_async);
  g_task_run_in_thread (task, preload_thread);
}

gboolean
dtx_reader_loader_preload_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

GType
dtx_reader_loader_get_type (GError **error)
{
  static GType type;
  g_autofree char *path = NULL;
  GType (*get_type) (void) = NULL;
  GModule *module;

  if (type != 0)
    return type;

  /* Programs that link the reader in (the tests) need no module. */
  type = g_type_from_name ("DtxReaderView");
  if (type != 0)
    return type;

  path = find_module ();
  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL ||
      !g_module_symbol (module, "dtx_reader_view_get_type", (gpointer *)&get_type) || get_type == NULL)
    {
      g_set_error (error, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                   _("The article view could not be loaded (%s). Reinstalling the app may help."),
                   g_module_error ());
      g_clear_pointer (&module, g_module_close);
      return 0;
    }
  /* Types cannot be unregistered: the module stays. */
  g_module_make_resident (module);
  type = get_type ();
  return type;
}
