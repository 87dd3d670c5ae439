/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-feeds"
#include "config.h"

#include <string.h>

#include "dtx-test-feeds.h"

typedef struct {
  DtxTestFeedConfig  config;
  char              *name;
  guint              version;
  GBytes            *body;
  char              *etag;
  char              *last_modified;
  GPtrArray         *held;       /* SoupServerMessage */
  GHashTable        *by_status;  /* status → count */
  guint              requests;
} Feed;

struct _DtxTestFeeds {
  SoupServer  *server;
  guint        port;
  guint        n_hosts;
  GHashTable  *feeds;            /* name → Feed */
  GHashTable  *paths;            /* path → count */
  GHashTable  *in_flight;        /* Host header → count */
  guint        n_in_flight;
  guint        max_in_flight;
  guint        max_per_host;
  GPtrArray   *timeouts;         /* source ids of delayed answers */
  char        *favicon_type;
  GBytes      *favicon;
};

/* A 1×1 PNG. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
  0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static void
feed_free (Feed *feed)
{
  g_free (feed->name);
  g_clear_pointer (&feed->body, g_bytes_unref);
  g_free (feed->etag);
  g_free (feed->last_modified);
  g_ptr_array_unref (feed->held);
  g_hash_table_unref (feed->by_status);
  g_free (feed);
}

static GBytes *
make_body (const char              *name,
           const DtxTestFeedConfig *config)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<rss version=\"2.0\"><channel>");
  g_autofree char *filler = NULL;

  if (config->body_bytes > 0)
    {
      GString *text = g_string_new (NULL);

      while (text->len < config->body_bytes)
        g_string_append (text, "Kabar teknologi terbaru dari Indonesia dan dunia. ");
      filler = g_string_free (text, FALSE);
    }

  g_string_append_printf (xml, "<title>Feed %s</title><link>https://%s.example/</link>"
                               "<description>Test feed</description>", name, name);
  for (guint i = 0; i < config->n_items; i++)
    {
      guint id = config->first - i;
      g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (1700000000 + (gint64)id * 600);
      g_autofree char *rfc822 = g_date_time_format (date, "%a, %d %b %Y %H:%M:%S +0000");

      g_string_append_printf (xml,
                              "<item><title>%s item %u</title>"
                              "<link>https://%s.example/post-%u/</link>"
                              "<guid isPermaLink=\"false\">%s-%u</guid>"
                              "<pubDate>%s</pubDate>"
                              "<category>Teknologi</category>"
                              "<description>&lt;p&gt;Isi %u. %s&lt;/p&gt;</description></item>",
                              name, id, name, id, name, id, rfc822, id,
                              filler != NULL ? filler : "Sebuah kalimat.");
    }
  g_string_append (xml, "</channel></rss>\n");
  return g_string_free_to_bytes (xml);
}

/* A new version of the feed: its body, ETag and Last-Modified. */
static void
feed_update (Feed                    *feed,
             const DtxTestFeedConfig *config)
{
  g_autoptr(GDateTime) modified = NULL;

  feed->config = *config;
  feed->version++;
  g_clear_pointer (&feed->body, g_bytes_unref);
  feed->body = make_body (feed->name, config);
  g_free (feed->etag);
  feed->etag = g_strdup_printf ("\"%s-v%u\"", feed->name, feed->version);
  g_free (feed->last_modified);
  modified = g_date_time_new_from_unix_utc (1750000000 + feed->version * 3600);
  feed->last_modified = g_date_time_format (modified, "%a, %d %b %Y %H:%M:%S GMT");
}

static void
count_status (Feed  *feed,
              guint  status)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (feed->by_status, GUINT_TO_POINTER (status)));

  g_hash_table_insert (feed->by_status, GUINT_TO_POINTER (status), GUINT_TO_POINTER (n + 1));
}

static void
answer (Feed              *feed,
        SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
  const char *if_modified_since = soup_message_headers_get_one (request, "If-Modified-Since");

  if (feed->config.status != 0)
    {
      if (feed->config.retry_after != NULL)
        soup_message_headers_replace (response, "Retry-After", feed->config.retry_after);
      soup_server_message_set_status (msg, feed->config.status, NULL);
      count_status (feed, feed->config.status);
      return;
    }
  if (feed->config.etag)
    soup_message_headers_replace (response, "ETag", feed->etag);
  if (feed->config.last_modified)
    soup_message_headers_replace (response, "Last-Modified", feed->last_modified);
  if ((feed->config.etag && if_none_match != NULL && g_str_equal (if_none_match, feed->etag)) ||
      (!feed->config.etag && feed->config.last_modified && if_modified_since != NULL &&
       g_str_equal (if_modified_since, feed->last_modified)))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      count_status (feed, SOUP_STATUS_NOT_MODIFIED);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/rss+xml; charset=utf-8", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (feed->body, NULL), g_bytes_get_size (feed->body));
  count_status (feed, SOUP_STATUS_OK);
  if (feed->config.grows > 0)
    {
      DtxTestFeedConfig next = feed->config;

      next.first += next.grows;
      feed_update (feed, &next);
    }
}

typedef struct {
  DtxTestFeeds      *self;
  Feed              *feed;
  SoupServerMessage *msg;
  guint              id;
} Delayed;

static void
delayed_free (gpointer data)
{
  Delayed *d = data;

  g_ptr_array_remove (d->self->timeouts, GUINT_TO_POINTER (d->id));
  g_object_unref (d->msg);
  g_free (d);
}

static gboolean
delayed_cb (gpointer data)
{
  Delayed *d = data;

  answer (d->feed, d->msg);
  soup_server_message_unpause (d->msg);
  return G_SOURCE_REMOVE;
}

static void
message_finished (SoupServerMessage *msg,
                  DtxTestFeeds      *self)
{
  const char *host = g_object_get_data (G_OBJECT (msg), "dtx-host");
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->in_flight, host));

  g_hash_table_insert (self->in_flight, g_strdup (host), GUINT_TO_POINTER (n - 1));
  self->n_in_flight--;
}

static guint
count_all (DtxTestFeeds *self,
           guint         status)
{
  GHashTableIter iter;
  Feed *feed;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&feed))
    n += GPOINTER_TO_UINT (g_hash_table_lookup (feed->by_status, GUINT_TO_POINTER (status)));
  return n;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  DtxTestFeeds *self = user_data;
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  guint n_host;
  guint n_path = GPOINTER_TO_UINT (g_hash_table_lookup (self->paths, path));
  Feed *feed = NULL;

  g_hash_table_insert (self->paths, g_strdup (path), GUINT_TO_POINTER (n_path + 1));

  /* In flight from here until the response is written. */
  host = host != NULL ? host : "";
  g_object_set_data_full (G_OBJECT (msg), "dtx-host", g_strdup (host), g_free);
  n_host = GPOINTER_TO_UINT (g_hash_table_lookup (self->in_flight, host)) + 1;
  g_hash_table_insert (self->in_flight, g_strdup (host), GUINT_TO_POINTER (n_host));
  self->n_in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->n_in_flight);
  self->max_per_host = MAX (self->max_per_host, n_host);
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished), self);

  if (g_str_equal (path, "/favicon.ico"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, self->favicon_type, SOUP_MEMORY_COPY,
                                        g_bytes_get_data (self->favicon, NULL),
                                        g_bytes_get_size (self->favicon));
      return;
    }
  if (g_str_equal (path, "/stats"))
    {
      /* For a client in another process: responses by status, all feeds. */
      g_autofree char *text = g_strdup_printf ("200=%u 304=%u",
                                               count_all (self, SOUP_STATUS_OK),
                                               count_all (self, SOUP_STATUS_NOT_MODIFIED));

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
      return;
    }
  if (g_str_has_prefix (path, "/feed/"))
    feed = g_hash_table_lookup (self->feeds, path + strlen ("/feed/"));
  if (feed == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  feed->requests++;
  if (feed->config.hold)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (feed->held, g_object_ref (msg));
      return;
    }
  if (feed->config.delay_ms > 0)
    {
      Delayed *d = g_new0 (Delayed, 1);

      d->self = self;
      d->feed = feed;
      d->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      d->id = g_timeout_add_full (G_PRIORITY_DEFAULT, feed->config.delay_ms, delayed_cb, d, delayed_free);
      g_ptr_array_add (self->timeouts, GUINT_TO_POINTER (d->id));
      return;
    }
  answer (feed, msg);
}

DtxTestFeeds *
dtx_test_feeds_new (guint n_hosts)
{
  DtxTestFeeds *self = g_new0 (DtxTestFeeds, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->n_hosts = MAX (n_hosts, 1);
  self->server = soup_server_new (NULL, NULL);
  self->feeds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)feed_free);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->timeouts = g_ptr_array_new ();
  self->favicon_type = g_strdup ("image/png");
  self->favicon = g_bytes_new_static (tiny_png, sizeof tiny_png);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);

  /* Loopback only: the first address picks the port, the others share it. */
  for (guint i = 1; i <= self->n_hosts; i++)
    {
      g_autofree char *ip = g_strdup_printf ("127.0.0.%u", i);
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip);
      g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, self->port);

      if (!soup_server_listen (self->server, socket_address, 0, &error))
        g_error ("Cannot listen on %s:%u: %s", ip, self->port, error->message);
      if (self->port == 0)
        {
          uris = soup_server_get_uris (self->server);
          self->port = g_uri_get_port (uris->data);
          g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
        }
    }
  return self;
}

void
dtx_test_feeds_free (DtxTestFeeds *self)
{
  GHashTableIter iter;
  Feed *feed;

  while (self->timeouts->len > 0)
    g_source_remove (GPOINTER_TO_UINT (g_ptr_array_index (self->timeouts, 0)));
  g_ptr_array_unref (self->timeouts);
  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&feed))
    dtx_test_feeds_release (self, feed->name);
  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_hash_table_unref (self->feeds);
  g_hash_table_unref (self->paths);
  g_hash_table_unref (self->in_flight);
  g_free (self->favicon_type);
  g_bytes_unref (self->favicon);
  g_free (self);
}

void
dtx_test_feeds_set_favicon (DtxTestFeeds *self,
                            const char   *content_type,
                            GBytes       *body)
{
  g_free (self->favicon_type);
  self->favicon_type = g_strdup (content_type);
  g_bytes_unref (self->favicon);
  self->favicon = g_bytes_ref (body);
}

char *
dtx_test_feeds_url (DtxTestFeeds *self,
                    guint         host,
                    const char   *name)
{
  g_assert (host >= 1 && host <= self->n_hosts);
  return g_strdup_printf ("http://127.0.0.%u:%u/feed/%s", host, self->port, name);
}

void
dtx_test_feeds_configure (DtxTestFeeds            *self,
                          const char              *name,
                          const DtxTestFeedConfig *config)
{
  Feed *feed = g_hash_table_lookup (self->feeds, name);

  if (feed == NULL)
    {
      feed = g_new0 (Feed, 1);
      feed->name = g_strdup (name);
      feed->held = g_ptr_array_new_with_free_func (g_object_unref);
      feed->by_status = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (self->feeds, feed->name, feed);
    }
  feed_update (feed, config);
}

void
dtx_test_feeds_release (DtxTestFeeds *self,
                        const char   *name)
{
  Feed *feed = g_hash_table_lookup (self->feeds, name);

  g_assert_nonnull (feed);
  feed->config.hold = FALSE;
  for (guint i = 0; i < feed->held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (feed->held, i);

      answer (feed, msg);
      soup_server_message_unpause (msg);
    }
  g_ptr_array_set_size (feed->held, 0);
}

guint
dtx_test_feeds_count (DtxTestFeeds *self,
                      const char   *name,
                      guint         status)
{
  Feed *feed = g_hash_table_lookup (self->feeds, name);

  if (feed == NULL)
    return 0;
  if (status == 0)
    return feed->requests;
  return GPOINTER_TO_UINT (g_hash_table_lookup (feed->by_status, GUINT_TO_POINTER (status)));
}

guint
dtx_test_feeds_count_path (DtxTestFeeds *self,
                           const char   *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->paths, path));
}

guint
dtx_test_feeds_max_in_flight (DtxTestFeeds *self)
{
  return self->max_in_flight;
}

guint
dtx_test_feeds_max_in_flight_per_host (DtxTestFeeds *self)
{
  return self->max_per_host;
}

guint
dtx_test_feeds_n_held (DtxTestFeeds *self)
{
  GHashTableIter iter;
  Feed *feed;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&feed))
    n += feed->held->len;
  return n;
}

void
dtx_test_feeds_reset_stats (DtxTestFeeds *self)
{
  GHashTableIter iter;
  Feed *feed;

  g_hash_table_remove_all (self->paths);
  self->max_in_flight = self->n_in_flight;
  self->max_per_host = 0;
  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&feed))
    {
      g_hash_table_remove_all (feed->by_status);
      feed->requests = 0;
    }
}
