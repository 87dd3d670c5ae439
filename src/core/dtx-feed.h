/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dtx-article.h"

G_BEGIN_DECLS

/* Parses RSS 2.0 (content:encoded, dc:creator, pubDate, category,
 * media:content/enclosure images), Atom, RSS 1.0 and JSON Feed into a
 * GPtrArray of DtxArticle (element free func set). Relative links resolve
 * against base_uri. Malformed input is DTX_ERROR_PARSE. If title_out is not
 * NULL it receives the feed's title. */
GPtrArray *dtx_feed_parse (GBytes      *data,
                           const char  *base_uri,
                           char       **title_out,
                           GError     **error);

G_END_DECLS
