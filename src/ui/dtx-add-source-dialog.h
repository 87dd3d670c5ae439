/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include "dtx-context.h"
#include "dtx-thumbnail-cache.h"

G_BEGIN_DECLS

#define DTX_TYPE_ADD_SOURCE_DIALOG (dtx_add_source_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DtxAddSourceDialog, dtx_add_source_dialog, DTX, ADD_SOURCE_DIALOG, AdwWindow)

/* A modal dialog: the user types an address, discovery shows what it leads
 * to (name, kind, icon, the three latest titles; a choice when a page offers
 * several feeds), and Add follows the chosen one through the context's
 * source manager. ::source-added (DtxSource *) then fires and the dialog
 * closes. Actions: dialog.find, dialog.add, dialog.cancel (stops a search
 * under way, else closes). thumbnails may be NULL (no icons). */
DtxAddSourceDialog *dtx_add_source_dialog_new (GtkWindow         *parent,
                                               DtxContext        *context,
                                               DtxThumbnailCache *thumbnails);
/* For tests: "start", "searching", "results", "error"; the message shown
 * (an error or a note such as "already followed"), or NULL; how many
 * results are offered; choose the one at index. */
const char *dtx_add_source_dialog_get_state     (DtxAddSourceDialog *self);
const char *dtx_add_source_dialog_get_message   (DtxAddSourceDialog *self);
guint       dtx_add_source_dialog_get_n_results (DtxAddSourceDialog *self);
void        dtx_add_source_dialog_choose        (DtxAddSourceDialog *self,
                                                 guint               index);

G_END_DECLS
