/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "dtx-source.h"

G_BEGIN_DECLS

/* For the tests: the thread that last parsed a page (a feed or REST posts). */
GThread *dtx_source_get_last_parse_thread (void);
/* For tests: the next parse names its thread again. */
void     dtx_source_forget_last_parse_thread (void);

/* What the subclasses share with the base (src/core/sources/ only). */

const char *dtx_source_get_host        (DtxSource     *self);
void        dtx_source_set_kind        (DtxSource     *self,
                                        DtxSourceKind  kind);
void        dtx_source_set_total_pages (DtxSource     *self,
                                        guint          total_pages);
void        dtx_source_set_api_root    (DtxSource     *self,
                                        const char    *api_root);
void        dtx_source_set_from_feed   (DtxSource     *self,
                                        gboolean       from_feed);

/* A GET through the source's fetcher. With conditional, the source's
 * validators go along and a 304 fails with DTX_ERROR_NOT_MODIFIED. A 429 or
 * 503 with Retry-After sets the source's retry-after; a 2xx clears it. Any
 * other status is a response, as from the fetcher. */
void         dtx_source_get_async  (DtxSource           *self,
                                    const char          *uri,
                                    gboolean             conditional,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
DtxResponse *dtx_source_get_finish (DtxSource           *self,
                                    GAsyncResult        *result,
                                    GError             **error);
/* Page 1 from this response was read: its ETag/Last-Modified are the
 * validators from now on. */
void         dtx_source_keep_validators (DtxSource   *self,
                                         DtxResponse *response);

/* Parsing runs in a worker thread: a 10 MiB feed takes a second or more,
 * and the window must keep painting meanwhile. */
typedef struct {
  GPtrArray   *articles;  /* DtxArticle, never NULL on success */
  char        *title;     /* feeds: the feed's title, may be NULL */
  char        *icon_url;  /* feeds: its <image>/<icon>/JSON icon, may be NULL */
  DtxResponse *response;  /* what was parsed */
} DtxSourceParsed;

void             dtx_source_parsed_free   (DtxSourceParsed *parsed);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxSourceParsed, dtx_source_parsed_free)

typedef enum {
  DTX_SOURCE_PARSE_POSTS,          /* a WordPress posts list, in its order */
  DTX_SOURCE_PARSE_FEED,           /* a feed, sorted newest first */
  DTX_SOURCE_PARSE_FEED_AS_LISTED, /* a page of a paged feed, in its order */
} DtxSourceParseKind;

/* Takes response. user_data stays with the caller: the callback runs on the
 * calling thread's context. */
void             dtx_source_parse_async   (DtxSource           *self,
                                           DtxResponse         *response,
                                           DtxSourceParseKind   kind,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
DtxSourceParsed *dtx_source_parse_finish  (DtxSource           *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Articles without a source name get the source's title. */
void        dtx_source_name_articles       (DtxSource  *self,
                                            GPtrArray  *articles);
/* The article of articles whose link is url (scheme, "www.", a trailing
 * slash and the fragment aside), or NULL. */
DtxArticle *dtx_source_find_article        (GPtrArray  *articles,
                                            const char *url);

/* URL helpers */
/* The identity of an article link: scheme, "www.", a trailing slash and the
 * fragment do not make a different article. */
char       *dtx_source_link_key            (const char *link);
/* "example.com" → "https://example.com"; a site's trailing slash goes, a
 * feed's path stays. */
char       *dtx_source_normalise_url       (const char *url);
/* TRUE when the URL's shape says feed (/feed/, .xml, .rss, ?feed=…). */
gboolean    dtx_source_url_is_feed         (const char *url);
/* How much of a page to read for its <link> tags (the API root, feeds):
 * up to <body>, at most 512 KiB, so a page of megabytes costs nothing. */
gsize       dtx_source_html_head_length    (const char *html,
                                            gsize       length);
/* {scheme://host[:port]}/favicon.ico, or NULL. */
char       *dtx_source_favicon_url         (const char *url);
/* The channel-level icon a feed names (RSS <image><url>, Atom <icon> or
 * <logo>, JSON Feed "icon" or "favicon"), resolved against base_uri; NULL
 * when none. Reads only up to the first entry. */
char       *dtx_source_feed_icon           (GBytes     *data,
                                            const char *base_uri);

G_END_DECLS
