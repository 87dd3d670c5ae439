/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-article.h"
#include "dtx-fetcher.h"

G_BEGIN_DECLS

#define DTX_SOURCE_DEFAULT_URL "https://digitripx.id"

typedef enum {
  DTX_SOURCE_KIND_UNKNOWN,   /* not probed yet */
  DTX_SOURCE_KIND_WORDPRESS, /* REST API */
  DTX_SOURCE_KIND_FEED,      /* RSS/Atom/JSON feed (fallback or user feed) */
} DtxSourceKind;

#define DTX_TYPE_SOURCE (dtx_source_get_type ())
G_DECLARE_FINAL_TYPE (DtxSource, dtx_source, DTX, SOURCE, GObject)

/* A site the reader reads. On the first page it probes the WordPress REST API
 * ({url}/wp-json/, else the root announced by the home page's
 * Link rel="https://api.w.org/" header or <link>), and falls back to
 * {url}/feed/ when REST answers 401/403/404, a non-JSON body, or is missing.
 * When REST answers 5xx, times out or sends a broken list, the feed stands
 * in for that page 1 (dtx_source_get_from_feed()); REST's error is returned
 * only when the feed fails too. A url that is itself a feed is read as one. */
DtxSource     *dtx_source_new             (DtxFetcher *fetcher,
                                           const char *url);
const char    *dtx_source_get_url         (DtxSource  *self);
DtxSourceKind  dtx_source_get_kind        (DtxSource  *self);
/* Site name for display: the REST root's name or the feed's title when
 * known, else the host. */
const char    *dtx_source_get_title       (DtxSource  *self);
/* TRUE when the last page 1 came from the feed because REST failed. */
gboolean       dtx_source_get_from_feed   (DtxSource  *self);
/* 0 until a page was fetched; from X-WP-TotalPages for WordPress, 1 for feeds. */
guint          dtx_source_get_total_pages (DtxSource  *self);
/* TRUE when the article at url belongs to this site (same host). */
gboolean       dtx_source_owns_url        (DtxSource  *self,
                                           const char *url);

/* Page N (from 1) of the latest articles: a GPtrArray of DtxArticle.
 * A page past the end is DTX_ERROR_EMPTY. */
void           dtx_source_fetch_page_async  (DtxSource           *self,
                                             guint                page,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray     *dtx_source_fetch_page_finish (DtxSource           *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* The article at url (a post of this site): WordPress finds it by the slug
 * (last path segment) through REST; a feed source looks it up in the feed.
 * DTX_ERROR_NOT_FOUND when there is none. */
void           dtx_source_fetch_article_async  (DtxSource           *self,
                                                const char          *url,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
DtxArticle    *dtx_source_fetch_article_finish (DtxSource           *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The site's own search (WordPress REST `?search=`): a GPtrArray of
 * DtxArticle, DTX_ERROR_EMPTY when nothing matched. Only for a source whose
 * kind is DTX_SOURCE_KIND_WORDPRESS. */
void           dtx_source_search_async  (DtxSource           *self,
                                         const char          *text,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray     *dtx_source_search_finish (DtxSource           *self,
                                         GAsyncResult        *result,
                                         GError             **error);

G_END_DECLS
