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

/* A WordPress category: a filter under its source in the sidebar. */
typedef struct {
  gint64  id;
  char   *name;
  char   *slug;
  guint   count;
} DtxCategory;

#define DTX_TYPE_CATEGORY (dtx_category_get_type ())
GType        dtx_category_get_type (void) G_GNUC_CONST;
DtxCategory *dtx_category_new      (gint64             id,
                                    const char        *name,
                                    const char        *slug,
                                    guint              count);
DtxCategory *dtx_category_copy     (const DtxCategory *category);
void         dtx_category_free     (DtxCategory       *category);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxCategory, dtx_category_free)

#define DTX_TYPE_SOURCE (dtx_source_get_type ())
G_DECLARE_DERIVABLE_TYPE (DtxSource, dtx_source, DTX, SOURCE, GObject)

/* The kinds of site a reader follows: DtxWordpressSource and DtxFeedSource
 * (src/core/sources/). Each implements the four async pairs; the public
 * functions below check arguments and dispatch. */
struct _DtxSourceClass
{
  GObjectClass parent_class;

  void         (*fetch_page_async)        (DtxSource            *self,
                                           guint                 page,
                                           gboolean              refresh,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  GPtrArray   *(*fetch_page_finish)       (DtxSource            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
  void         (*fetch_article_async)     (DtxSource            *self,
                                           const char           *url,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  DtxArticle  *(*fetch_article_finish)    (DtxSource            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
  void         (*search_async)            (DtxSource            *self,
                                           const char           *text,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  GPtrArray   *(*search_finish)           (DtxSource            *self,
                                           GAsyncResult         *result,
                                           GError              **error);
  void         (*fetch_categories_async)  (DtxSource            *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
  GPtrArray   *(*fetch_categories_finish) (DtxSource            *self,
                                           GAsyncResult         *result,
                                           GError              **error);

  gpointer padding[8];
};

/* A site the reader reads. With kind UNKNOWN (dtx_source_new()) the first
 * page probes the WordPress REST API ({url}/wp-json/, else the root
 * announced by the home page's Link rel="https://api.w.org/" header or
 * <link>), and falls back to {url}/feed/ when REST answers 401/403/404, a
 * non-JSON body, or is missing. When REST answers 5xx, times out or sends
 * a broken list, the feed stands in for that page 1
 * (dtx_source_get_from_feed()); REST's error is returned only when the feed
 * fails too. A url that is itself a feed is read as one. */
DtxSource     *dtx_source_new             (DtxFetcher *fetcher,
                                           const char *url);
/* Factory for a known kind: UNKNOWN probes as dtx_source_new(); WORDPRESS
 * reads the REST API at api_root (NULL: probe for it) and, when REST is
 * closed, the feed page by page ({url}/feed/?paged=N); FEED reads url as a
 * feed. */
DtxSource     *dtx_source_new_for_kind    (DtxFetcher    *fetcher,
                                           const char    *url,
                                           DtxSourceKind  kind,
                                           const char    *api_root);
DtxFetcher    *dtx_source_get_fetcher     (DtxSource  *self);
/* The key the store uses as source_url: the normalised site URL for
 * WordPress, the feed URL for feeds. */
const char    *dtx_source_get_url         (DtxSource  *self);
DtxSourceKind  dtx_source_get_kind        (DtxSource  *self);
/* The name to show: the custom title when set, else the site's (the REST
 * root's name or the feed's title), else the host. */
const char    *dtx_source_get_title       (DtxSource  *self);
/* TRUE when the last page 1 came from the feed because REST failed. */
gboolean       dtx_source_get_from_feed   (DtxSource  *self);
/* 0 until a page was fetched; from X-WP-TotalPages for WordPress, 1 for
 * feeds (0 while a WordPress feed is read page by page: unknown). */
guint          dtx_source_get_total_pages (DtxSource  *self);
/* TRUE when the article at url belongs to this site (same host). */
gboolean       dtx_source_owns_url        (DtxSource  *self,
                                           const char *url);

/* Properties, all notify on the main thread: "title", "custom-title" (rw,
 * the user's rename, NULL = none), "site-title", "icon-url" (site_icon or
 * favicon, may be NULL), "unread-count" (rw, set by the manager), "error"
 * (rw, translated one-sentence reason of the last failed refresh, NULL when
 * fine), "refreshing" (rw), "api-root" (WordPress), "kind", "total-pages",
 * "retry-after". */
const char    *dtx_source_get_custom_title (DtxSource  *self);
void           dtx_source_set_custom_title (DtxSource  *self,
                                            const char *title);
/* The site's own name, NULL until known. */
const char    *dtx_source_get_site_title   (DtxSource  *self);
/* For the manager, restoring what the store kept; NULL or "" is ignored. */
void           dtx_source_set_site_title   (DtxSource  *self,
                                            const char *title);
const char    *dtx_source_get_icon_url     (DtxSource  *self);
void           dtx_source_set_icon_url     (DtxSource  *self,
                                            const char *url);
const char    *dtx_source_get_api_root     (DtxSource  *self);
guint          dtx_source_get_unread_count (DtxSource  *self);
void           dtx_source_set_unread_count (DtxSource  *self,
                                            guint       n);
const char    *dtx_source_get_error        (DtxSource  *self);
void           dtx_source_set_error        (DtxSource  *self,
                                            const char *message);
/* The DtxError code of the failure behind "error" (so a status page can say
 * what kind of failure it was), or -1 when there is none or it is unknown
 * (a reason read back from the store, a failure outside DTX_ERROR). */
int            dtx_source_get_error_code   (DtxSource  *self);
/* Sets "error" to message and the code from error (may be NULL). */
void           dtx_source_set_refresh_error (DtxSource    *self,
                                             const char   *message,
                                             const GError *error);
gboolean       dtx_source_get_refreshing   (DtxSource  *self);
void           dtx_source_set_refreshing   (DtxSource  *self,
                                            gboolean    refreshing);

/* Conditional GET for page 1: when validators are set, page 1 is requested
 * with If-None-Match / If-Modified-Since and a 304 fails with
 * DTX_ERROR_NOT_MODIFIED (nothing parsed): callers that show a list treat
 * it as "nothing new". A 200 whose page parsed updates the validators from
 * ETag / Last-Modified (not when the feed stood in for a failing REST API). */
void           dtx_source_set_validators    (DtxSource  *self,
                                             const char *etag,
                                             const char *last_modified);
const char    *dtx_source_get_etag          (DtxSource  *self);
const char    *dtx_source_get_last_modified (DtxSource  *self);
/* After a 429 or 503 with Retry-After (seconds or HTTP date): the
 * wall-clock time (g_get_real_time() µs) before which this source must not
 * be fetched again; 0 = none. */
gint64         dtx_source_get_retry_after   (DtxSource  *self);
/* For the manager, restoring what the store kept. */
void           dtx_source_set_retry_after   (DtxSource  *self,
                                             gint64      when);

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
/* Page 1 for whoever stores it (the manager's refresh): sent with the
 * validators when there are some (a 304 is DTX_ERROR_NOT_MODIFIED), and the
 * answer's validators are kept for the next refresh once it parsed. Other
 * reads of page 1 (paging a list, finding an article) neither send nor
 * change them, so they never make a refresh skip what was not stored. */
void           dtx_source_refresh_async     (DtxSource           *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray     *dtx_source_refresh_finish    (DtxSource           *self,
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
 * kind is DTX_SOURCE_KIND_WORDPRESS; others fail with DTX_ERROR_NOT_FOUND. */
void           dtx_source_search_async  (DtxSource           *self,
                                         const char          *text,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GPtrArray     *dtx_source_search_finish (DtxSource           *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* WordPress categories (/wp/v2/categories?per_page=100&orderby=count&
 * order=desc&hide_empty=true): a GPtrArray of DtxCategory, most used
 * first, names as plain text. A feed source, a WordPress site whose REST
 * API is closed, or a source still probing (ask after its page 1) gives an
 * empty array. */
void           dtx_source_fetch_categories_async  (DtxSource           *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray     *dtx_source_fetch_categories_finish (DtxSource           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
