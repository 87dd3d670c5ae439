/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dtx-article.h"

G_BEGIN_DECLS

/* Parses GET /wp-json/wp/v2/posts?_embed=… (a JSON array of posts) into a
 * GPtrArray of DtxArticle (element free func set). Embedded items that are
 * error objects (e.g. an author with "code") are tolerated: that field is
 * left NULL. Malformed JSON or a non-array root is DTX_ERROR_PARSE.
 * source_name may be NULL. */
GPtrArray *dtx_wordpress_parse_posts (GBytes      *json,
                                      const char  *source_name,
                                      GError     **error);

/* The API root ("https://site/wp-json/" or "https://site/?rest_route=/") from
 * a Link header value with rel="https://api.w.org/", or NULL. */
char      *dtx_wordpress_api_root_from_link_header (const char *link_header);
/* The same from a home page's <link rel="https://api.w.org/" href="…">, or NULL. */
char      *dtx_wordpress_api_root_from_html        (const char *html,
                                                    gsize       length);

/* The posts URL for an API root: page >= 1, slug may be NULL. Handles both
 * "/wp-json/" and "?rest_route=/" roots. */
char      *dtx_wordpress_posts_url (const char *api_root,
                                    guint       page,
                                    const char *slug);

G_END_DECLS
