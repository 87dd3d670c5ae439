/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The pieces of discovery that need no network, for the tests. */

/* What the user typed as an absolute http(s) URL ("example.com" →
 * "https://example.com"), or NULL when it cannot be one. */
char      *dtx_source_discovery_normalise_typed        (const char *typed);
/* The feed of the channel a YouTube page names (a handle's page), or NULL. */
char      *dtx_source_discovery_youtube_feed_from_page (const char *html,
                                                        gsize       length);
/* The feeds a page announces (<link rel="alternate" type="application/
 * rss+xml|atom+xml|feed+json">), resolved against <base href> or page_uri,
 * without duplicates, in page order. Never NULL. */
GPtrArray *dtx_source_discovery_feeds_from_html        (const char *html,
                                                        gsize       length,
                                                        const char *page_uri);

G_END_DECLS
