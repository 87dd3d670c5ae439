/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-fetcher.h"
#include "dtx-source.h"

G_BEGIN_DECLS

/* What a URL leads to. The user may type "example.com" (https:// added). */
typedef struct _DtxDiscovered DtxDiscovered;
struct _DtxDiscovered
{
  char          *url;      /* the key: site URL for WordPress, feed URL for feeds */
  DtxSourceKind  kind;
  char          *api_root; /* WordPress: the REST root, NULL when REST is closed */
  char          *title;
  char          *icon_url; /* may be NULL */
  GPtrArray     *latest;   /* DtxArticle, at most 3, newest first */
};

#define DTX_TYPE_DISCOVERED (dtx_discovered_get_type ())
GType          dtx_discovered_get_type (void) G_GNUC_CONST;
DtxDiscovered *dtx_discovered_copy     (const DtxDiscovered *d);
void           dtx_discovered_free     (DtxDiscovered       *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxDiscovered, dtx_discovered_free)

/* Discovery order: WordPress REST (Link header rel https://api.w.org/,
 * <link rel> tag, ?rest_route=), else the feeds the page announces
 * (<link rel=alternate type=rss|atom|feed+json>, relative hrefs resolved),
 * else the URL read as a feed. YouTube channel/user/handle/playlist URLs map
 * to https://www.youtube.com/feeds/videos.xml?channel_id=…|user=…|playlist_id=…
 * Redirects are followed; a loop stops with a DTX_ERROR_NETWORK saying so.
 * Result: GPtrArray of DtxDiscovered (several when a page offers several
 * feeds), or DTX_ERROR_NO_FEED / network errors with a translated message
 * saying why. Each result's page 1 was fetched for its latest titles. */
void           dtx_source_discover_async  (DtxFetcher          *fetcher,
                                           const char          *typed_url,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray     *dtx_source_discover_finish (GAsyncResult        *result,
                                           GError             **error);

/* A source for what was found, ready to add to the manager. */
DtxSource     *dtx_discovered_create_source (const DtxDiscovered *d,
                                             DtxFetcher          *fetcher);

/* The Atom feed of a YouTube channel (/channel/UC…), user (/user/NAME) or
 * playlist (?list=…) URL; NULL when the URL is none of these (a handle,
 * /@name, needs its page fetched: discovery does that). No network. */
char          *dtx_source_discovery_youtube_feed_url (const char *url);

G_END_DECLS
