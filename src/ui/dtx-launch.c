/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-launch"
#include "config.h"

#include "dtx-launch.h"
#include "dtx-renderer.h"

typedef struct {
  GWeakRef  widget;
  char     *uri;
} Launch;

static void
launch_free (Launch *launch)
{
  g_weak_ref_clear (&launch->widget);
  g_free (launch->uri);
  g_free (launch);
}

/* The window (win.launch-failed) tells the user and offers to copy the
 * link; the detail stays in the log. */
static void
report_failure (GtkWidget  *widget,
                const char *uri)
{
  if (widget == NULL || !gtk_widget_activate_action (widget, "win.launch-failed", "s", uri))
    g_debug ("Nobody to tell that %s did not open", uri);
}

/* The apps it starts draw as they would have: without the renderer the app
 * picked for itself. */
static GdkAppLaunchContext *
new_launch_context (GtkWidget *widget)
{
  GdkAppLaunchContext *context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));

  dtx_renderer_restore_for (G_APP_LAUNCH_CONTEXT (context));
  return context;
}

static void
on_launched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Launch *launch = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autoptr(GtkWidget) widget = g_weak_ref_get (&launch->widget);

      g_message ("Could not open the link %s: %s", launch->uri, error->message);
      report_failure (widget, launch->uri);
    }
  launch_free (launch);
}

void
dtx_launch_uri (GtkWidget  *widget,
                const char *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  const char *scheme;
  Launch *launch;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  /* Addresses come from servers: a file: or custom-scheme link must not
   * start whatever program handles it. */
  scheme = g_uri_peek_scheme (uri);
  if (scheme == NULL ||
      (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https") &&
       !g_str_equal (scheme, "mailto") && !g_str_equal (scheme, "tel")))
    {
      g_message ("Not opening %s: only web, mail and phone links are opened", uri);
      report_failure (widget, uri);
      return;
    }

  launch = g_new0 (Launch, 1);
  g_weak_ref_init (&launch->widget, widget);
  launch->uri = g_strdup (uri);
  context = new_launch_context (widget);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, launch);
}

static void
on_share_launched (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    {
      g_message ("Could not hand over the share link: %s", error->message);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

void
dtx_launch_share_uri_async (GtkWidget           *widget,
                            const char          *uri,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autoptr(GTask) task = NULL;
  const char *scheme;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (uri != NULL);

  task = g_task_new (widget, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_launch_share_uri_async);

  /* Exactly one scheme more than dtx_launch_uri(), for the Telegram app. */
  scheme = g_uri_peek_scheme (uri);
  if (scheme == NULL ||
      (!g_str_equal (scheme, "http") && !g_str_equal (scheme, "https") &&
       !g_str_equal (scheme, "tg")))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "Not a share link: %s", uri);
      return;
    }

  /* Inside Flatpak GIO sees no host handlers and asks the OpenURI portal,
   * which reports a failure when nothing takes the link. */
  context = new_launch_context (widget);
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), cancellable,
                                           on_share_launched, g_steal_pointer (&task));
}

gboolean
dtx_launch_share_uri_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
dtx_launch_may_handle (const char *scheme)
{
  g_autoptr(GAppInfo) handler = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return TRUE;
  handler = g_app_info_get_default_for_uri_scheme (scheme);
  return handler != NULL;
}
