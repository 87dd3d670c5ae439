/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens uri in the user's default handler (the OpenURI portal in Flatpak). */
void dtx_launch_uri (GtkWidget  *widget,
                     const char *uri);

G_END_DECLS
