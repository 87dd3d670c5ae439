/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets widget's tooltip ("" or NULL: none) only when it changes: GTK 4.8
 * asks the X server where the pointer is on every set. */
void dtx_tooltip_set (GtkWidget  *widget,
                      const char *text);

G_END_DECLS
