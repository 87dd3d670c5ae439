/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "dtx-tooltip.h"

void
dtx_tooltip_set (GtkWidget  *widget,
                 const char *text)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}
