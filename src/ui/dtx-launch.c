/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-launch"
#include "config.h"

#include "dtx-launch.h"

static void
on_launched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Could not open the link: %s", error->message);
}

void
dtx_launch_uri (GtkWidget  *widget,
                const char *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  const char *scheme;

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
      return;
    }

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (widget));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL, on_launched, NULL);
}
