/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A spinner that turns ten steps a second from a timer. GtkSpinner's CSS
 * animation makes the frame clock tick at every frame while it shows, so a
 * change (the rows of a feed that has just arrived) waited up to a frame
 * for its turn; with GL on a software rasteriser every one of those frames
 * also repainted the window. This one asks for a frame ten times a second
 * and for none in between. */
#define DTX_TYPE_SPINNER (dtx_spinner_get_type ())
G_DECLARE_FINAL_TYPE (DtxSpinner, dtx_spinner, DTX, SPINNER, GtkWidget)

GtkWidget *dtx_spinner_new          (void);
void       dtx_spinner_set_spinning (DtxSpinner *self,
                                     gboolean    spinning);
gboolean   dtx_spinner_get_spinning (DtxSpinner *self);

G_END_DECLS
