/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-context.h"
#include "dtx-source.h"

G_BEGIN_DECLS

#define DTX_TYPE_WINDOW (dtx_window_get_type ())
G_DECLARE_FINAL_TYPE (DtxWindow, dtx_window, DTX, WINDOW, AdwApplicationWindow)

/* application may be NULL (tests). Shows every followed source, or, when
 * source_url is given, that source: followed (added when new) and selected
 * once the sources are loaded. */
DtxWindow     *dtx_window_new             (GtkApplication *application,
                                           DtxContext     *context,
                                           const char     *source_url);
/* The selected source, NULL while "All Articles" is. */
DtxSource     *dtx_window_get_source      (DtxWindow      *self);
/* Adds the sources of an OPML file and shows what happened. */
void           dtx_window_import_opml     (DtxWindow      *self,
                                           GFile          *file);
/* Selects source (NULL: All Articles) in the sidebar and shows its list. */
void           dtx_window_select_source   (DtxWindow      *self,
                                           DtxSource      *source);
/* gtk_window_present(), once the stored list is read (150 ms at most). */
void           dtx_window_present_with_list (DtxWindow    *self);
/* Shows the article at url in the reader (looked up through the source). */
void           dtx_window_open_url        (DtxWindow      *self,
                                           const char     *url);

G_END_DECLS
