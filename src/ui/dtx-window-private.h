/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-window.h"

G_BEGIN_DECLS

/* For the window's sibling files (actions) and for tests. */
DtxContext    *dtx_window_get_context       (DtxWindow  *self);
/* The article in the reader, or NULL. */
DtxArticle    *dtx_window_get_shown_article (DtxWindow  *self);
/* The article an action's target names: NULL or "" for the one in the
 * reader, else the link of an article in the reader or a list. */
DtxArticle    *dtx_window_lookup_article    (DtxWindow  *self,
                                             const char *link);
void           dtx_window_add_toast         (DtxWindow  *self,
                                             AdwToast   *toast);

/* For tests: the list's model of DtxArticle, the visible state ("loading",
 * "list", "error", "empty"), and the reader, NULL until the list has
 * painted and the warm-up made it (or an article opened). */
GListModel    *dtx_window_get_articles      (DtxWindow  *self);
const char    *dtx_window_get_list_state    (DtxWindow  *self);
/* The bookmarks list and its state ("list", "empty", "no-results"). */
GListModel    *dtx_window_get_bookmarks     (DtxWindow  *self);
const char    *dtx_window_get_bookmarks_state (DtxWindow *self);
/* TRUE while the banner says the list is the stored one. */
gboolean       dtx_window_is_offline_banner_shown (DtxWindow *self);
GtkWidget     *dtx_window_get_reader_view   (DtxWindow  *self);
/* TRUE once a frame has shown the first rows (or the first refresh's end). */
gboolean       dtx_window_is_list_painted   (DtxWindow  *self);
/* TRUE while a refresh or a page is read, or may be after the next frame
 * (once painted, the window asks whether the rows fill the view). */
gboolean       dtx_window_is_loading        (DtxWindow  *self);

/* The sources sidebar (a DtxSidebar) and the add-source dialog open now, or NULL. */
GtkWidget     *dtx_window_get_sidebar       (DtxWindow  *self);
/* TRUE once the sources are loaded into the sidebar. */
gboolean       dtx_window_is_sources_loaded (DtxWindow  *self);
/* The source whose removal waits for its Undo toast, or NULL. */
DtxSource     *dtx_window_get_removed_source (DtxWindow *self);
/* Its "removed" toast (with Undo), or NULL. */
AdwToast      *dtx_window_get_remove_toast  (DtxWindow  *self);

G_END_DECLS
