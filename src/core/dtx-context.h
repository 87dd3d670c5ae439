/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-fetcher.h"
#include "share/dtx-secrets.h"
#include "share/dtx-telegram.h"

G_BEGIN_DECLS

#define DTX_TYPE_CONTEXT (dtx_context_get_type ())
G_DECLARE_FINAL_TYPE (DtxContext, dtx_context, DTX, CONTEXT, GObject)

/* What every window of the app shares: the one HTTP session and the store.
 * Handed to each window as a construct-only property instead of globals. */
DtxContext *dtx_context_new         (DtxFetcher *fetcher);
DtxFetcher *dtx_context_get_fetcher (DtxContext *self);
/* The "secrets" property (construct-only; the keyring when not given). */
DtxSecrets *dtx_context_get_secrets (DtxContext *self);
/* The Bot API client, on the fetcher's session; made on first use. */
DtxTelegram *dtx_context_get_telegram (DtxContext *self);

G_END_DECLS
