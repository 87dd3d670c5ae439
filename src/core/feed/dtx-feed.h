/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dtx-article.h"

G_BEGIN_DECLS

/* Parses RSS 2.0 (content:encoded, dc:creator, pubDate, category,
 * media:content/enclosure images), Atom, RSS 1.0 and JSON Feed into a
 * GPtrArray of DtxArticle (element free func set), forgivingly: HTML
 * entities and small well-formedness slips are mended, every entry that can
 * be read is kept. Relative links resolve against xml:base, then base_uri.
 * Input with nothing readable is DTX_ERROR_PARSE. If title_out is not NULL
 * it receives the feed's title. Time and memory are linear in the input. */
GPtrArray *dtx_feed_parse      (GBytes      *data,
                                const char  *base_uri,
                                char       **title_out,
                                GError     **error);

/* The same, honouring the charset of the HTTP Content-Type (may be NULL),
 * which wins over the XML declaration as HTTP says it must. */
GPtrArray *dtx_feed_parse_full (GBytes      *data,
                                const char  *base_uri,
                                const char  *content_type,
                                char       **title_out,
                                GError     **error);

G_END_DECLS
