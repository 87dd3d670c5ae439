/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens an http(s), mailto: or tel: uri in the user's default handler (the
 * OpenURI portal in Flatpak); any other scheme is refused. */
void dtx_launch_uri (GtkWidget  *widget,
                     const char *uri);

G_END_DECLS
