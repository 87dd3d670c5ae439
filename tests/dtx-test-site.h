/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fake WordPress site on 127.0.0.1 (SoupServer, random port) serving
 * tests/fixtures/site/: the REST API (3 pages of posts with _embed, slug
 * lookup, X-WP-TotalPages), the RSS feed at /feed/, images under
 * /wp-content/uploads/, the home page and article pages. It runs in the
 * thread-default main context of the caller; iterate that context. */
typedef enum {
  DTX_TEST_SITE_NORMAL,         /* REST at /wp-json/ */
  DTX_TEST_SITE_REST_ELSEWHERE, /* /wp-json/ is 404; home page announces ?rest_route=/ */
  DTX_TEST_SITE_REST_DISABLED,  /* REST answers 401 (rest_not_logged_in): use the feed */
  DTX_TEST_SITE_REST_MISSING,   /* /wp-json/ is 404 and the home page announces none */
  DTX_TEST_SITE_REST_HTML,      /* /wp-json/ answers 200 text/html (a theme's page) */
  DTX_TEST_SITE_SERVER_ERROR,   /* every path answers 500 */
  DTX_TEST_SITE_MALFORMED,      /* REST answers truncated JSON, the feed broken XML */
  DTX_TEST_SITE_EMPTY,          /* REST answers [] and the feed has no items */
  DTX_TEST_SITE_HANG,           /* accepts the request, never answers */
  DTX_TEST_SITE_HUGE,           /* REST answers a body past any sane cap (20 MiB) */
  DTX_TEST_SITE_REST_500,       /* REST answers 500, the home page and feed work */
  DTX_TEST_SITE_REST_BROKEN,    /* REST answers truncated JSON, the feed works */
  DTX_TEST_SITE_REST_HANG,      /* REST never answers, the feed works */
  DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST, /* no REST; the feed lists oldest first */
  DTX_TEST_SITE_RATE_LIMITED,   /* every path answers 429 with Retry-After: 120 */
  DTX_TEST_SITE_UNAVAILABLE,    /* every path answers 503 with Retry-After: an HTTP date 1 h ahead */
  DTX_TEST_SITE_REST_QUERY_ONLY, /* /wp-json/ is 404, nothing announced, ?rest_route=/ works */
  DTX_TEST_SITE_LINK_HEADER_ONLY, /* the home page announces REST by the Link header only */
  DTX_TEST_SITE_LINK_TAG_ONLY,  /* the home page announces REST by the <link> tag only */
} DtxTestSiteMode;

typedef struct _DtxTestSite DtxTestSite;

DtxTestSite *dtx_test_site_new           (void);
void         dtx_test_site_free          (DtxTestSite     *self);
/* "http://127.0.0.1:PORT" with no trailing slash. */
const char  *dtx_test_site_get_url       (DtxTestSite     *self);
void         dtx_test_site_set_mode      (DtxTestSite     *self,
                                          DtxTestSiteMode  mode);
/* Publishes a new post: it leads page 1 of REST and the feed. */
void         dtx_test_site_add_post      (DtxTestSite     *self);
/* How many requests reached a path (without the query), e.g. "/feed/". */
guint        dtx_test_site_count_requests (DtxTestSite    *self,
                                           const char     *path);
/* The query of the last request to path, or NULL. */
const char  *dtx_test_site_last_query    (DtxTestSite     *self,
                                          const char      *path);
/* How many requests to path had a query containing part. */
guint        dtx_test_site_count_queries (DtxTestSite     *self,
                                          const char      *path,
                                          const char      *part);

/* Page 1 of REST posts and the feed carry an ETag and a Last-Modified and
 * answer 304 to a request that matches them; a new post changes both. How
 * many 304s went to path: */
guint        dtx_test_site_count_not_modified (DtxTestSite *self,
                                               const char  *path);
/* Serves body (with @SITE@ filled in) at path, whatever the query and mode,
 * before anything else. */
void         dtx_test_site_add_page      (DtxTestSite     *self,
                                          const char      *path,
                                          guint            status,
                                          const char      *content_type,
                                          const char      *body);
/* A 301 from path to location (@SITE@ filled in). */
void         dtx_test_site_add_redirect  (DtxTestSite     *self,
                                          const char      *path,
                                          const char      *location);

/* A request header (any case) of the last request to any path, or NULL. */
const char  *dtx_test_site_last_header   (DtxTestSite     *self,
                                          const char      *name);
/* Body bytes the HUGE mode handed to the connection so far: shows whether a
 * client stopped reading at its cap. */
guint64      dtx_test_site_get_huge_bytes_sent (DtxTestSite *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxTestSite, dtx_test_site_free)

/* A GAsyncReadyCallback that stores a ref on the result in *(GAsyncResult **)user_data. */
void dtx_test_store_result (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);
/* Iterates the main context until *slot is set; a deadline far above any
 * passing test only stops a broken one. */
void dtx_test_wait_result  (GAsyncResult **slot);

/* Deletes a scratch folder of a test and everything in it. */
void         dtx_test_remove_tree        (const char      *path);

G_END_DECLS
