/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens an http(s), mailto: or tel: uri in the user's default handler (the
 * OpenURI portal in Flatpak); any other scheme is refused. When nothing
 * opens it, the widget's "win.launch-failed" action gets the uri so the
 * window can say so. */
void dtx_launch_uri (GtkWidget  *widget,
                     const char *uri);

/* For Share to Telegram only: like dtx_launch_uri(), but allows tg: links
 * too, and reports whether a handler (or, inside Flatpak, the OpenURI
 * portal) took the link, so the caller can fall back. */
void     dtx_launch_share_uri_async  (GtkWidget           *widget,
                                      const char          *uri,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean dtx_launch_share_uri_finish (GAsyncResult        *result,
                                      GError             **error);
/* Whether handing a scheme: link over may work: a handler for it is known,
 * or the app runs sandboxed, where only the portal can tell. */
gboolean dtx_launch_may_handle       (const char          *scheme);

G_END_DECLS
