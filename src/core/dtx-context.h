/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-fetcher.h"
#include "dtx-store.h"
#include "dtx-source-manager.h"
#include "share/dtx-secrets.h"
#include "share/dtx-telegram.h"

G_BEGIN_DECLS

#define DTX_TYPE_CONTEXT (dtx_context_get_type ())
G_DECLARE_FINAL_TYPE (DtxContext, dtx_context, DTX, CONTEXT, GObject)

/* What every window of the app shares: the one HTTP session and the store.
 * Handed to each window as a construct-only property instead of globals. */
/* fetcher and store may be NULL: the context makes its own, the store at
 * dtx_context_default_store_path(). */
DtxContext *dtx_context_new         (DtxFetcher *fetcher,
                                     DtxStore   *store);
DtxFetcher *dtx_context_get_fetcher (DtxContext *self);
DtxStore   *dtx_context_get_store   (DtxContext *self);
/* $XDG_DATA_HOME/digitripx-reader/store.db */
char       *dtx_context_default_store_path (void);
/* The "secrets" property (construct-only; the keyring when not given). */
DtxSecrets *dtx_context_get_secrets (DtxContext *self);
/* The followed sources (made on first use from the fetcher and store; the
 * caller loads it with dtx_source_manager_load_async()). */
DtxSourceManager *dtx_context_get_sources (DtxContext *self);
/* The Bot API client, on the fetcher's session; made on first use. */
DtxTelegram *dtx_context_get_telegram (DtxContext *self);

G_END_DECLS
