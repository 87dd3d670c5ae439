/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fetcher"
#include "config.h"

#include "dtx-error.h"
#include "dtx-fetcher.h"
#include "dtx-test-site.h"

static DtxResponse *
get (DtxFetcher    *fetcher,
     const char    *uri,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_fetcher_get_async (fetcher, uri, cancellable, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_fetcher_get_finish (fetcher, result, error);
}

static char *
site_uri (DtxTestSite *site,
          const char  *path)
{
  return g_strconcat (dtx_test_site_get_url (site), path, NULL);
}

static void
test_get_ok (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/wp-json/wp/v2/posts?_embed=1&page=1");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(DtxResponse) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->uri, ==, uri);
  {
    g_autofree char *type = dtx_response_dup_content_type (response);
    g_assert_cmpstr (type, ==, "application/json");
  }
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-WP-TotalPages"), ==, "3");
  g_assert_true (dtx_response_check_ok (response, &error));
  g_assert_no_error (error);

  body = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  g_assert_true (body[0] == '[');
  g_assert_nonnull (strstr (body, dtx_test_site_get_url (site)));
  g_assert_null (strstr (body, "@SITE@"));
  g_assert_cmpuint (dtx_test_site_count_requests (site, "/wp-json/wp/v2/posts"), ==, 1);
  g_assert_cmpstr (dtx_test_site_last_query (site, "/wp-json/wp/v2/posts"), ==, "_embed=1&page=1");

  copy = dtx_response_copy (response);
  g_assert_cmpuint (copy->status, ==, 200);
  g_assert_true (g_bytes_equal (copy->body, response->body));
  g_assert_true (copy->headers == response->headers);
}

static void
test_user_agent (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const char *agent;

  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  agent = dtx_test_site_last_header (site, "User-Agent");
  g_assert_nonnull (agent);
  g_assert_true (g_str_has_prefix (agent, "DigiTripX-Reader/"));
  g_assert_nonnull (strstr (agent, PACKAGE_VERSION));
}

static void
test_not_found (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/no-such-article/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* An HTTP error is an answer, not a transport failure. */
  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 404);
  {
    g_autofree char *type = dtx_response_dup_content_type (response);
    g_assert_cmpstr (type, ==, "text/html");
  }

  g_assert_false (dtx_response_check_ok (response, &error));
  g_assert_error (error, DTX_ERROR, DTX_ERROR_HTTP);
  /* In words; the status is in the log. */
  g_assert_nonnull (strstr (error->message, "has no page at this address"));
  g_assert_null (strstr (error->message, "404"));
}

static void
test_server_error (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  dtx_test_site_set_mode (site, DTX_TEST_SITE_SERVER_ERROR);
  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 500);
  g_assert_false (dtx_response_check_ok (response, &error));
  g_assert_error (error, DTX_ERROR, DTX_ERROR_HTTP);
  g_assert_nonnull (strstr (error->message, "has a problem at the moment"));
  g_assert_null (strstr (error->message, "500"));
}

static void
test_too_large_streamed (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/wp-json/wp/v2/posts");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  guint64 sent;

  dtx_test_site_set_mode (site, DTX_TEST_SITE_HUGE);
  dtx_fetcher_set_max_size (fetcher, 1024 * 1024);
  g_assert_cmpuint (dtx_fetcher_get_max_size (fetcher), ==, 1024 * 1024);

  response = get (fetcher, uri, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_TOO_LARGE);
  g_assert_null (response);

  /* The body is chunked with no length, so only reading with a cap stops
   * it: the server must not have streamed all 20 MiB. Socket buffers let it
   * run a few MiB ahead of the reader. */
  sent = dtx_test_site_get_huge_bytes_sent (site);
  g_test_message ("server sent %" G_GUINT64_FORMAT " bytes before the client stopped", sent);
  g_assert_cmpuint (sent, >, 1024 * 1024);
  g_assert_cmpuint (sent, <, 20 * 1024 * 1024);
}

static void
test_too_large_declared (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/wp-json/wp/v2/posts?page=1");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  dtx_fetcher_set_max_size (fetcher, 1000);
  response = get (fetcher, uri, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_TOO_LARGE);
  g_assert_null (response);
  g_clear_error (&error);

  /* The same session still works for a small answer afterwards. */
  dtx_fetcher_set_max_size (fetcher, DTX_FETCHER_DEFAULT_MAX_SIZE);
  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
}

static void
test_timeout (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  dtx_test_site_set_mode (site, DTX_TEST_SITE_HANG);
  dtx_fetcher_set_timeout (fetcher, 1);

  response = get (fetcher, uri, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (response);
  g_assert_cmpuint (dtx_test_site_count_requests (site, "/"), ==, 1);
}

static guint16
unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* Bound but never listening, then closed: connecting is refused. */
  g_socket_close (socket, NULL);

  return port;
}

static void
test_connection_refused (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/", unused_port ());
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = get (fetcher, uri, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "Could not reach 127.0.0.1"));
  g_assert_null (response);
}

static void
test_invalid_uri (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = get (fetcher, "ftp://example.org/file", NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NETWORK);
  g_assert_null (response);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *uri = site_uri (site, "/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* The server holds the request, so the cancel lands mid-flight. */
  dtx_test_site_set_mode (site, DTX_TEST_SITE_HANG);
  g_timeout_add (100, cancel_cb, cancellable);

  response = get (fetcher, uri, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (response);
  g_assert_cmpuint (dtx_test_site_count_requests (site, "/"), ==, 1);
}

static void
test_cancel_before (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *uri = site_uri (site, "/");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  response = get (fetcher, uri, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (response);
}

static void
test_image (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/wp-content/uploads/2024/05/catatan-300x169.jpg");
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  const guchar *data;
  gsize size;

  response = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  {
    g_autofree char *type = dtx_response_dup_content_type (response);
    g_assert_cmpstr (type, ==, "image/jpeg");
  }
  data = g_bytes_get_data (response->body, &size);
  g_assert_cmpuint (size, >, 4);
  g_assert_cmpuint (data[0], ==, 0xff);
  g_assert_cmpuint (data[1], ==, 0xd8);
}

static void
test_content_type (void)
{
  DtxResponse response = { NULL, 200, NULL, NULL };

  g_assert_null (dtx_response_dup_content_type (&response));

  response.headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_replace (response.headers, "Content-Type", "Application/RSS+XML; charset=UTF-8");
  {
    g_autofree char *type = dtx_response_dup_content_type (&response);
    g_assert_cmpstr (type, ==, "application/rss+xml");
  }
  soup_message_headers_unref (response.headers);
}

/* A 304 is an answer like any other, with nothing in its body. */
static void
test_conditional (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autofree char *uri = site_uri (site, "/feed/");
  g_autoptr(DtxResponse) first = NULL;
  g_autoptr(DtxResponse) second = NULL;
  g_autoptr(DtxResponse) third = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *etag;

  first = get (fetcher, uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->status, ==, 200);
  etag = soup_message_headers_get_one (first->headers, "ETag");
  g_assert_nonnull (etag);
  g_assert_null (dtx_test_site_last_header (site, "If-None-Match"));

  dtx_fetcher_get_conditional_async (fetcher, uri, etag, NULL, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  second = dtx_fetcher_get_finish (fetcher, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (second->body), ==, 0);
  g_assert_cmpstr (dtx_test_site_last_header (site, "If-None-Match"), ==, etag);
  g_assert_null (dtx_test_site_last_header (site, "If-Modified-Since"));
  g_clear_object (&result);

  /* A stale ETag: the whole feed again. */
  dtx_fetcher_get_conditional_async (fetcher, uri, "\"old\"", NULL, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  third = dtx_fetcher_get_finish (fetcher, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (third->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (third->body), >, 0);
  g_assert_cmpuint (dtx_test_site_count_not_modified (site, "/feed/"), ==, 1);
}

static DtxResponse *
response_with (guint       status,
               const char *retry_after)
{
  DtxResponse *response = g_new0 (DtxResponse, 1);

  response->status = status;
  response->uri = g_strdup ("https://example.org/feed/");
  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (retry_after != NULL)
    soup_message_headers_append (response->headers, "Retry-After", retry_after);
  response->body = g_bytes_new (NULL, 0);
  return response;
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 10);
  g_autoptr(GDateTime) earlier = g_date_time_add_minutes (now, -10);
  g_autofree char *later_text = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *earlier_text = soup_date_time_to_string (earlier, SOUP_DATE_HTTP);
  struct {
    guint       status;
    const char *value;
    gint64      min_s, max_s; /* expected wait; 0, 0: none */
  } cases[] = {
    { 429, "120", 119, 121 },
    { 503, " 5 ", 4, 6 },
    { 503, later_text, 598, 601 },
    { 429, earlier_text, 0, 0 },
    { 429, "soon", 0, 0 },
    { 429, "-5", 0, 0 },
    { 429, "0", 0, 0 },
    { 429, "99999999999", 86399, 86401 }, /* capped at a day */
    { 500, "120", 0, 0 },                 /* only 429 and 503 */
    { 200, "120", 0, 0 },
    { 429, NULL, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DtxResponse) response = response_with (cases[i].status, cases[i].value);
      gint64 before = g_get_real_time ();
      gint64 until = dtx_response_get_retry_after (response);

      if (cases[i].max_s == 0)
        g_assert_cmpint (until, ==, 0);
      else
        {
          g_assert_cmpint (until - before, >=, cases[i].min_s * G_USEC_PER_SEC);
          g_assert_cmpint (until - before, <=, cases[i].max_s * G_USEC_PER_SEC);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetcher/get-ok", test_get_ok);
  g_test_add_func ("/fetcher/user-agent", test_user_agent);
  g_test_add_func ("/fetcher/not-found", test_not_found);
  g_test_add_func ("/fetcher/server-error", test_server_error);
  g_test_add_func ("/fetcher/image", test_image);
  g_test_add_func ("/fetcher/too-large/streamed", test_too_large_streamed);
  g_test_add_func ("/fetcher/too-large/declared", test_too_large_declared);
  g_test_add_func ("/fetcher/timeout", test_timeout);
  g_test_add_func ("/fetcher/connection-refused", test_connection_refused);
  g_test_add_func ("/fetcher/invalid-uri", test_invalid_uri);
  g_test_add_func ("/fetcher/cancel", test_cancel);
  g_test_add_func ("/fetcher/cancel-before", test_cancel_before);
  g_test_add_func ("/fetcher/content-type", test_content_type);
  g_test_add_func ("/fetcher/conditional", test_conditional);
  g_test_add_func ("/fetcher/retry-after", test_retry_after);

  return g_test_run ();
}
