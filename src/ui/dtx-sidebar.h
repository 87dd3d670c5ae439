/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-source-manager.h"

G_BEGIN_DECLS

#define DTX_TYPE_SIDEBAR (dtx_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (DtxSidebar, dtx_sidebar, DTX, SIDEBAR, AdwBin)

/* The sources sidebar: "All Articles", then each followed source of the
 * manager (icon, title, unread count, a warning when its last refresh
 * failed, a spinner while it refreshes) and, under the selected WordPress
 * source, its categories as filters. ::selection-changed says when the
 * user (or dtx_sidebar_select) picked another row. Each source row's
 * context menu reaches the win.*-source actions with the source's URL. */
GtkWidget   *dtx_sidebar_new                  (void);
void         dtx_sidebar_set_manager          (DtxSidebar       *self,
                                               DtxSourceManager *manager);
/* Sources the window hides for now (removed, with Undo pending). */
void         dtx_sidebar_set_hidden           (DtxSidebar       *self,
                                               DtxSource        *source,
                                               gboolean          hidden);
/* NULL: "All Articles". */
DtxSource   *dtx_sidebar_get_selected_source  (DtxSidebar       *self);
/* The selected category's name, or NULL. */
const char  *dtx_sidebar_get_selected_category (DtxSidebar      *self);
/* Selects source (NULL: "All Articles") and category (NULL: none). */
void         dtx_sidebar_select               (DtxSidebar       *self,
                                               DtxSource        *source,
                                               const char       *category);
/* The Menu key: the context menu of the source row holding focus, if any. */
gboolean     dtx_sidebar_popup_menu_for       (DtxSidebar       *self,
                                               GtkWidget        *focus);
/* For tests: the row of source (NULL: "All Articles") and of its category. */
GtkWidget   *dtx_sidebar_get_row              (DtxSidebar       *self,
                                               DtxSource        *source,
                                               const char       *category);

G_END_DECLS
