/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define DTX_FETCHER_DEFAULT_MAX_SIZE (10 * 1024 * 1024)
#define DTX_FETCHER_DEFAULT_TIMEOUT  30 /* seconds */

/* What the server answered. Any HTTP status is a DtxResponse; only transport
 * failures (DNS, refused, timeout, TLS, size cap) are GErrors. */
typedef struct {
  char               *uri;      /* final URI, after redirects */
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} DtxResponse;

#define DTX_TYPE_RESPONSE (dtx_response_get_type ())
GType        dtx_response_get_type    (void) G_GNUC_CONST;
DtxResponse *dtx_response_copy        (const DtxResponse *self);
void         dtx_response_free        (DtxResponse *self);
/* TRUE for 2xx; otherwise sets DTX_ERROR_HTTP with a message that names the status. */
gboolean     dtx_response_check_ok    (const DtxResponse *self, GError **error);
/* The media type of Content-Type without parameters, lower case, or NULL. */
char        *dtx_response_dup_content_type (const DtxResponse *self);
/* For a 429 or 503 with Retry-After (delta-seconds or an HTTP date): the
 * wall-clock time (g_get_real_time() µs) to wait until; 0 otherwise. A
 * date in the past or a junk value gives 0; a wait is capped at a day. */
gint64       dtx_response_get_retry_after (const DtxResponse *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxResponse, dtx_response_free)

#define DTX_TYPE_FETCHER (dtx_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (DtxFetcher, dtx_fetcher, DTX, FETCHER, GObject)

/* One SoupSession for the whole app: User-Agent "DigiTripX-Reader/VERSION",
 * a timeout and a response size cap enforced while reading. Requests run in
 * the fetcher's network thread; each callback comes in the main context of
 * the thread that asked. Set the timeout before the first request: libsoup
 * takes its settings before any request is sent. */
DtxFetcher  *dtx_fetcher_new          (void);
SoupSession *dtx_fetcher_get_session  (DtxFetcher *self);
void         dtx_fetcher_set_max_size (DtxFetcher *self, gsize max_bytes);
gsize        dtx_fetcher_get_max_size (DtxFetcher *self);
void         dtx_fetcher_set_timeout  (DtxFetcher *self, guint seconds);

void         dtx_fetcher_get_async    (DtxFetcher          *self,
                                       const char          *uri,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
DtxResponse *dtx_fetcher_get_finish   (DtxFetcher          *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* A GET with If-None-Match (etag) and If-Modified-Since (last_modified)
 * when given (either may be NULL). A 304 is a DtxResponse with status 304
 * and an empty body, not an error. Finish with dtx_fetcher_get_finish(). */
void         dtx_fetcher_get_conditional_async (DtxFetcher          *self,
                                                const char          *uri,
                                                const char          *etag,
                                                const char          *last_modified,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
/* Starts the network thread, where every request runs, now rather than at
 * the first request; it loads GIO's proxy and TLS modules first. Call it,
 * or make the first request, only once the process has made a GSettings:
 * GNOME's proxy resolver makes one while it holds GIO's module lock, and
 * the first GSettings takes the two locks in the other order. */
void         dtx_fetcher_warm_up (DtxFetcher *self);

G_END_DECLS
