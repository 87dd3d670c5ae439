/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-source.h"

G_BEGIN_DECLS

/* A plain RSS, Atom or JSON feed at a URL: one page, the latest items. The
 * icon comes from the feed (<image>, <icon>, JSON "icon"/"favicon"), else
 * {scheme://host}/favicon.ico. Made by dtx_source_new_for_kind(). */
#define DTX_TYPE_FEED_SOURCE (dtx_feed_source_get_type ())
G_DECLARE_FINAL_TYPE (DtxFeedSource, dtx_feed_source, DTX, FEED_SOURCE, DtxSource)

G_END_DECLS
