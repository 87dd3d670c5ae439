/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Many RSS feeds on one SoupServer listening on several loopback addresses
 * (127.0.0.1, 127.0.0.2, …, one port): each address is a host of its own
 * for the client. It records what a refresh does to sites: responses by
 * status, and the most requests in flight per host and in all. */
typedef struct _DtxTestFeeds DtxTestFeeds;

typedef struct {
  guint        n_items;        /* items in the feed */
  guint        first;          /* id of the newest item; older ones count down */
  guint        body_bytes;     /* text per item (0: a sentence) */
  guint        delay_ms;       /* answer after this long */
  gboolean     hold;           /* answer only after dtx_test_feeds_release() */
  gboolean     etag;           /* send ETag, answer If-None-Match with 304 */
  gboolean     last_modified;  /* send Last-Modified, answer If-Modified-Since with 304 */
  guint        status;         /* 0: 200 with the feed; else this status, empty body */
  const char  *retry_after;    /* Retry-After sent with status */
  guint        grows;          /* after each full answer, this many newer items
                                * (and a new ETag / Last-Modified) */
} DtxTestFeedConfig;

DtxTestFeeds *dtx_test_feeds_new          (guint                     n_hosts);
void          dtx_test_feeds_free         (DtxTestFeeds             *self);
/* http://127.0.0.HOST:PORT/feed/NAME (host from 1). */
char         *dtx_test_feeds_url          (DtxTestFeeds             *self,
                                           guint                     host,
                                           const char               *name);
/* Sets or changes what /feed/NAME serves; a changed feed gets a new ETag
 * and Last-Modified. */
void          dtx_test_feeds_configure    (DtxTestFeeds             *self,
                                           const char               *name,
                                           const DtxTestFeedConfig  *config);
/* What /favicon.ico serves on every host (default: a 1×1 PNG, image/png). */
void          dtx_test_feeds_set_favicon  (DtxTestFeeds             *self,
                                           const char               *content_type,
                                           GBytes                   *body);
/* Answers the held requests of NAME and stops holding. */
void          dtx_test_feeds_release      (DtxTestFeeds             *self,
                                           const char               *name);
/* Responses sent for NAME with this status (0: every request of NAME). */
guint         dtx_test_feeds_count        (DtxTestFeeds             *self,
                                           const char               *name,
                                           guint                     status);
/* Requests of any path, e.g. "/favicon.ico" on every host together. */
guint         dtx_test_feeds_count_path   (DtxTestFeeds             *self,
                                           const char               *path);
guint         dtx_test_feeds_max_in_flight          (DtxTestFeeds   *self);
guint         dtx_test_feeds_max_in_flight_per_host (DtxTestFeeds   *self);
/* Requests waiting on a hold now. */
guint         dtx_test_feeds_n_held       (DtxTestFeeds             *self);
void          dtx_test_feeds_reset_stats  (DtxTestFeeds             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxTestFeeds, dtx_test_feeds_free)

G_END_DECLS
