/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-fetcher.h"
#include "dtx-source.h"

G_BEGIN_DECLS

#define DTX_TYPE_WINDOW (dtx_window_get_type ())
G_DECLARE_FINAL_TYPE (DtxWindow, dtx_window, DTX, WINDOW, AdwApplicationWindow)

/* application may be NULL (tests). Starts loading source_url at once. */
DtxWindow     *dtx_window_new             (GtkApplication *application,
                                           DtxFetcher     *fetcher,
                                           const char     *source_url);
DtxSource     *dtx_window_get_source      (DtxWindow      *self);
/* Shows the article at url in the reader (looked up through the source). */
void           dtx_window_open_url        (DtxWindow      *self,
                                           const char     *url);

/* For tests: the list's model of DtxArticle, the visible state ("loading",
 * "list", "error", "empty"), and the reader, NULL until an article opens. */
GListModel    *dtx_window_get_articles    (DtxWindow      *self);
const char    *dtx_window_get_list_state  (DtxWindow      *self);
GtkWidget     *dtx_window_get_reader_view (DtxWindow      *self);
gboolean       dtx_window_is_loading      (DtxWindow      *self);

G_END_DECLS
