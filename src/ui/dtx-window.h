/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-context.h"
#include "dtx-source.h"

G_BEGIN_DECLS

#define DTX_TYPE_WINDOW (dtx_window_get_type ())
G_DECLARE_FINAL_TYPE (DtxWindow, dtx_window, DTX, WINDOW, AdwApplicationWindow)

/* application may be NULL (tests). Starts loading source_url at once. */
DtxWindow     *dtx_window_new             (GtkApplication *application,
                                           DtxContext     *context,
                                           const char     *source_url);
DtxSource     *dtx_window_get_source      (DtxWindow      *self);
/* gtk_window_present(), once the stored list is read (150 ms at most). */
void           dtx_window_present_with_list (DtxWindow    *self);
/* Shows the article at url in the reader (looked up through the source). */
void           dtx_window_open_url        (DtxWindow      *self,
                                           const char     *url);

G_END_DECLS
