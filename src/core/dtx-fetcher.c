/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fetcher"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-fetcher.h"

#define READ_CHUNK_SIZE (64 * 1024)
#define STATUS_TOO_MANY_REQUESTS 429 /* libsoup 3.2 has no name for it */
#define IDLE_TIMEOUT    60 /* seconds a kept-alive connection may sit unused */

/* DtxResponse */

G_DEFINE_BOXED_TYPE (DtxResponse, dtx_response, dtx_response_copy, dtx_response_free)

DtxResponse *
dtx_response_copy (const DtxResponse *self)
{
  DtxResponse *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (DtxResponse, 1);
  copy->uri = g_strdup (self->uri);
  copy->status = self->status;
  copy->headers = self->headers ? soup_message_headers_ref (self->headers) : NULL;
  copy->body = self->body ? g_bytes_ref (self->body) : NULL;

  return copy;
}

void
dtx_response_free (DtxResponse *self)
{
  if (self == NULL)
    return;

  g_free (self->uri);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

static char *
host_of (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;

  if (uri != NULL)
    parsed = g_uri_parse (uri, SOUP_HTTP_URI_FLAGS, NULL);
  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    return g_strdup (g_uri_get_host (parsed));

  /* Only reached for junk input; still name something the user typed. */
  return g_strdup (uri != NULL ? uri : "");
}

gboolean
dtx_response_check_ok (const DtxResponse  *self,
                       GError            **error)
{
  g_autofree char *host = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (SOUP_STATUS_IS_SUCCESSFUL (self->status))
    return TRUE;

  host = host_of (self->uri);

  /* error->message is for people (see dtx-error.h); the status for the log. */
  g_message ("%s answered %u %s", self->uri, self->status, soup_status_get_phrase (self->status));
  if (self->status >= 500)
    g_set_error (error, DTX_ERROR, DTX_ERROR_HTTP,
                 _("%s has a problem at the moment. Try again later."), host);
  else if (self->status == STATUS_TOO_MANY_REQUESTS)
    g_set_error (error, DTX_ERROR, DTX_ERROR_HTTP,
                 _("%s asked to wait before the next request. Try again later."), host);
  else if (self->status == SOUP_STATUS_NOT_FOUND || self->status == SOUP_STATUS_GONE)
    g_set_error (error, DTX_ERROR, DTX_ERROR_HTTP,
                 _("%s has no page at this address."), host);
  else
    g_set_error (error, DTX_ERROR, DTX_ERROR_HTTP,
                 _("%s refused the request."), host);

  return FALSE;
}

char *
dtx_response_dup_content_type (const DtxResponse *self)
{
  const char *type;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->headers == NULL)
    return NULL;

  type = soup_message_headers_get_content_type (self->headers, NULL);
  return type != NULL ? g_ascii_strdown (type, -1) : NULL;
}

#define MAX_RETRY_AFTER_SECONDS (24 * 60 * 60)

gint64
dtx_response_get_retry_after (const DtxResponse *self)
{
  const char *value;
  guint64 seconds;
  gint64 now;

  g_return_val_if_fail (self != NULL, 0);

  if ((self->status != STATUS_TOO_MANY_REQUESTS &&
       self->status != SOUP_STATUS_SERVICE_UNAVAILABLE) ||
      self->headers == NULL)
    return 0;

  value = soup_message_headers_get_one (self->headers, "Retry-After");
  if (value == NULL)
    return 0;

  now = g_get_real_time ();
  while (g_ascii_isspace (*value))
    value++;

  if (g_ascii_isdigit (*value))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (value));

      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT64, &seconds, NULL))
        return 0;
    }
  else
    {
      g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
      gint64 until;

      if (when == NULL)
        return 0;
      until = g_date_time_to_unix (when) * G_USEC_PER_SEC;
      if (until <= now)
        return 0;
      seconds = (guint64)((until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }

  /* A server asking for a week is not obeyed for a week: a day at most. */
  seconds = MIN (seconds, MAX_RETRY_AFTER_SECONDS);
  return seconds == 0 ? 0 : now + (gint64)seconds * G_USEC_PER_SEC;
}

/* DtxFetcher */

struct _DtxFetcher
{
  GObject      parent_instance;

  SoupSession *session;
  gsize        max_size;
  guint        timeout;
};

G_DEFINE_FINAL_TYPE (DtxFetcher, dtx_fetcher, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_SIZE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GMainContext *network_main_context; /* see network_context() */

static gboolean
unref_later (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
dtx_fetcher_finalize (GObject *object)
{
  DtxFetcher *self = (DtxFetcher *)object;
  GMainContext *network = g_atomic_pointer_get (&network_main_context);

  /* A session the network thread has used is let go there. */
  if (network != NULL)
    g_main_context_invoke (network, unref_later, g_steal_pointer (&self->session));
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dtx_fetcher_parent_class)->finalize (object);
}

static void
dtx_fetcher_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DtxFetcher *self = DTX_FETCHER (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_fetcher_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DtxFetcher *self = DTX_FETCHER (object);

  switch (prop_id)
    {
    case PROP_MAX_SIZE:
      dtx_fetcher_set_max_size (self, g_value_get_uint64 (value));
      break;

    case PROP_TIMEOUT:
      dtx_fetcher_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_fetcher_class_init (DtxFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dtx_fetcher_finalize;
  object_class->get_property = dtx_fetcher_get_property;
  object_class->set_property = dtx_fetcher_set_property;

  properties[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL,
                         1, G_MAXSIZE, DTX_FETCHER_DEFAULT_MAX_SIZE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DTX_FETCHER_DEFAULT_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dtx_fetcher_init (DtxFetcher *self)
{
  self->max_size = DTX_FETCHER_DEFAULT_MAX_SIZE;
  self->timeout = DTX_FETCHER_DEFAULT_TIMEOUT;

  /* No accept-certificate handler anywhere: libsoup then rejects untrusted
   * certificates, which is the fail-closed behaviour we want. */
  self->session = soup_session_new_with_options ("user-agent", "DigiTripX-Reader/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT,
                                                 /* The source manager's refresh limits (issue 10). */
                                                 "max-conns", 6, "max-conns-per-host", 2,
                                                 NULL);
  /* Sites like digitripx.id serve several languages; ask for the user's. */
  soup_session_set_accept_language_auto (self->session, TRUE);
}

DtxFetcher *
dtx_fetcher_new (void)
{
  return g_object_new (DTX_TYPE_FETCHER, NULL);
}

SoupSession *
dtx_fetcher_get_session (DtxFetcher *self)
{
  g_return_val_if_fail (DTX_IS_FETCHER (self), NULL);

  return self->session;
}

void
dtx_fetcher_set_max_size (DtxFetcher *self,
                          gsize       max_bytes)
{
  g_return_if_fail (DTX_IS_FETCHER (self));
  g_return_if_fail (max_bytes > 0);

  if (self->max_size == max_bytes)
    return;

  self->max_size = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_SIZE]);
}

gsize
dtx_fetcher_get_max_size (DtxFetcher *self)
{
  g_return_val_if_fail (DTX_IS_FETCHER (self), 0);

  return self->max_size;
}

void
dtx_fetcher_set_timeout (DtxFetcher *self,
                         guint       seconds)
{
  g_return_if_fail (DTX_IS_FETCHER (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/* Turns a transport error into one the UI can show as is. */
static GError *
map_error (GError     *error,
           const char *host)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == DTX_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (DTX_ERROR, DTX_ERROR_TIMEOUT,
                        _("The server at %s did not answer in time."), host);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (DTX_ERROR, DTX_ERROR_TLS,
                        _("The secure connection to %s could not be trusted, so it was not used."),
                        host);

  if (error->domain == G_RESOLVER_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE))
    return g_error_new (DTX_ERROR, DTX_ERROR_NETWORK,
                        _("Could not reach %s. Check your connection."), host);

  /* libsoup gives up after 20 redirects: nearly always a loop. */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return g_error_new (DTX_ERROR, DTX_ERROR_NETWORK,
                        _("%s keeps redirecting in a loop. Check the address, or try again later."), host);

  /* Resets, early closes, garbage instead of HTTP: still the network's fault. */
  g_message ("The connection to %s failed: %s", host, error->message);
  return g_error_new (DTX_ERROR, DTX_ERROR_NETWORK,
                      _("The connection to %s failed. Try again."), host);
}

/* The network thread. Every request runs in its main context (libsoup 3.2
 * sends from any thread), so a request leaves the moment it is asked for,
 * and reading a big answer costs the window nothing, however busy the UI
 * thread is painting or laying out. Callers still get their callback in
 * their own thread's main context, as GTask does. The thread lives as long
 * as the process; its first job loads GIO's proxy and TLS modules, which
 * the first request would otherwise load wherever it was made (see
 * dtx_fetcher_warm_up() for when it may start). */
static gpointer
network_thread (gpointer data)
{
  GMainContext *context = data;

  g_main_context_push_thread_default (context);
  /* Each loads its GIO extension point's modules once per process. */
  g_proxy_resolver_get_default ();
  g_tls_backend_get_default ();
  for (;;)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

static GMainContext *
network_context (void)
{
  if (g_once_init_enter (&network_main_context))
    {
      GMainContext *made = g_main_context_new ();

      g_thread_unref (g_thread_new ("dtx-network", network_thread, g_main_context_ref (made)));
      g_once_init_leave (&network_main_context, made);
    }
  return network_main_context;
}

/* libsoup never sees the caller's cancellable. Given to
 * soup_session_send_async(), a cancel that came after the response's head
 * but before the send's callback made the send report a cancel and drop
 * the body stream it had made, for a message whose I/O the cancel had
 * already torn down: closing that stream crashed in libsoup 3.2 (seen in
 * the network thread under the UI tests). The caller's cancel ends the
 * request for it at once instead; the send runs on to its answer (or the
 * timeout) and a body read stops at the cancel, which leaves libsoup's
 * message intact for the close. */
typedef struct {
  GTask        *task;   /* owned; returned once, by whoever comes first */
  GCancellable *cancellable; /* the caller's */
  gulong        cancelled_id;
  gint          returned;    /* atomic */
  SoupSession  *session;
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *buffer;
  gsize         max_size;
  char         *host;
} Request;

/* Hands the task its result unless the cancel did; takes response or error. */
static void
request_return (Request     *req,
                DtxResponse *response,
                GError      *error)
{
  if (!g_atomic_int_compare_and_exchange (&req->returned, 0, 1))
    {
      g_clear_pointer (&response, dtx_response_free);
      g_clear_error (&error);
      return;
    }
  if (response != NULL)
    g_task_return_pointer (req->task, response, (GDestroyNotify)dtx_response_free);
  else
    g_task_return_error (req->task, error);
}

static gboolean
return_cancelled (gpointer data)
{
  g_task_return_error_if_cancelled (data);
  return G_SOURCE_REMOVE;
}

/* In the thread that cancelled; the caller's callback comes from its own
 * main context, not from inside the cancel. */
static void
request_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  Request *req = data;
  GSource *idle;

  if (!g_atomic_int_compare_and_exchange (&req->returned, 0, 1))
    return;
  idle = g_idle_source_new ();
  g_source_set_callback (idle, return_cancelled, g_object_ref (req->task), g_object_unref);
  g_source_attach (idle, g_task_get_context (req->task));
  g_source_unref (idle);
}

/* Drops what belongs to the network thread there, then hands the task its
 * result: once the caller has it, the fetcher may go at any moment. */
static void
request_finish (Request     *req,
                DtxResponse *response,
                GError      *error)
{
  /* Waits for a request_cancelled() under way in another thread. */
  g_cancellable_disconnect (req->cancellable, req->cancelled_id);
  /* Dropping the stream before its end makes libsoup close the connection
   * instead of draining the rest of an oversized body. */
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_object (&req->session);
  g_clear_pointer (&req->buffer, g_byte_array_unref);

  request_return (req, response, error);
  g_clear_object (&req->cancellable);
  g_object_unref (req->task);
  g_free (req->host);
  g_free (req);
}

/* The caller cancelled: request_cancelled() has handed the task its error,
 * so this error only stands in, and the request is let go of. */
static void
finish_cancelled (Request *req)
{
  request_finish (req, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
}

static void
return_mapped_error (Request *req,
                     GError  *error)
{
  /* A TLS failure may surface as a plain I/O error; the message knows. */
  if (req->msg != NULL &&
      soup_message_get_tls_peer_certificate_errors (req->msg) != 0 &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      request_finish (req, NULL,
                      g_error_new (DTX_ERROR, DTX_ERROR_TLS,
                                   _("The secure connection to %s could not be trusted, so it was not used."),
                                   req->host));
      return;
    }

  request_finish (req, NULL, map_error (error, req->host));
}

static void
return_too_large (Request *req)
{
  g_autofree char *limit = g_format_size (req->max_size);

  request_finish (req, NULL,
                  g_error_new (DTX_ERROR, DTX_ERROR_TOO_LARGE,
                               _("The answer from %s is larger than %s, so it was not loaded."),
                               req->host, limit));
}

static void read_next (Request *req);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DtxResponse *response;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      return_mapped_error (req, error);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size > 0)
    {
      /* Enforced per chunk so a hostile server cannot make us buffer more
       * than one chunk past the cap. */
      if (size > req->max_size - req->buffer->len)
        {
          return_too_large (req);
          return;
        }

      g_byte_array_append (req->buffer, g_bytes_get_data (bytes, NULL), size);
      read_next (req);
      return;
    }

  response = g_new0 (DtxResponse, 1);
  response->uri = g_uri_to_string (soup_message_get_uri (req->msg));
  response->status = soup_message_get_status (req->msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (req->msg));
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer));

  request_finish (req, response, NULL);
}

static void
read_next (Request *req)
{
  g_input_stream_read_bytes_async (req->stream,
                                   READ_CHUNK_SIZE,
                                   G_PRIORITY_DEFAULT,
                                   req->cancellable,
                                   read_cb,
                                   req);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *req = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  req->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (req->stream == NULL)
    {
      return_mapped_error (req, error);
      return;
    }
  if (g_cancellable_is_cancelled (req->cancellable))
    {
      finish_cancelled (req);
      return;
    }

  /* Refuse before reading when the server says up front it is too big. */
  headers = soup_message_get_response_headers (req->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset)req->max_size)
    {
      return_too_large (req);
      return;
    }

  read_next (req);
}

/* In the network thread. */
static gboolean
send_now (gpointer data)
{
  Request *req = data;

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      finish_cancelled (req);
      return G_SOURCE_REMOVE;
    }
  soup_session_send_async (req->session,
                           req->msg,
                           G_PRIORITY_DEFAULT,
                           NULL, /* see Request */
                           send_cb,
                           req);
  return G_SOURCE_REMOVE;
}

static void
start_get (DtxFetcher          *self,
           const char          *uri,
           const char          *etag,
           const char          *last_modified,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *msg;
  Request *req;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_fetcher_get_async);

  /* NULL for anything that is not an absolute http(s) URI. */
  msg = soup_message_new (SOUP_METHOD_GET, uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NETWORK,
                               _("“%s” is not a web address."), uri);
      return;
    }

  if (etag != NULL && *etag != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "If-None-Match", etag);
  if (last_modified != NULL && *last_modified != '\0')
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "If-Modified-Since", last_modified);

  req = g_new0 (Request, 1);
  req->task = g_steal_pointer (&task);
  req->session = g_object_ref (self->session);
  req->msg = msg;
  req->buffer = g_byte_array_new ();
  req->max_size = self->max_size;
  req->host = host_of (uri);
  if (cancellable != NULL)
    {
      req->cancellable = g_object_ref (cancellable);
      /* Runs at once when already cancelled. */
      req->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (request_cancelled), req, NULL);
    }
  g_main_context_invoke (network_context (), send_now, req);
}

void
dtx_fetcher_get_async (DtxFetcher          *self,
                       const char          *uri,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (DTX_IS_FETCHER (self));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_get (self, uri, NULL, NULL, cancellable, callback, user_data);
}

void
dtx_fetcher_get_conditional_async (DtxFetcher          *self,
                                   const char          *uri,
                                   const char          *etag,
                                   const char          *last_modified,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DTX_IS_FETCHER (self));
  g_return_if_fail (uri != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_get (self, uri, etag, last_modified, cancellable, callback, user_data);
}

DtxResponse *
dtx_fetcher_get_finish (DtxFetcher    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (DTX_IS_FETCHER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dtx_fetcher_warm_up (DtxFetcher *self)
{
  g_return_if_fail (DTX_IS_FETCHER (self));

  network_context ();
}
