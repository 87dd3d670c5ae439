/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-site"
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dtx-test-site.h"

#define SITE_DIR     DTX_FIXTURES_DIR "/site/"
#define N_PAGES      3
#define HUGE_SIZE    (20 * 1024 * 1024)
#define HUGE_CHUNK   (64 * 1024)
#define JSON_TYPE    "application/json; charset=UTF-8"
#define HTML_TYPE    "text/html; charset=UTF-8"

struct _DtxTestSite
{
  SoupServer      *server;
  char            *url;
  DtxTestSiteMode  mode;

  GHashTable      *counts;   /* path → count (GUINT_TO_POINTER) */
  GHashTable      *queries;  /* path → last query */
  GPtrArray       *requests; /* "path?query" of every request, in order */
  GHashTable      *headers;  /* lower-case header name → value, last request */

  JsonNode        *pages[N_PAGES]; /* the fixture arrays, placeholders intact */
  guint            n_posts;
  guint            n_added;  /* posts published by dtx_test_site_add_post() */

  GPtrArray       *hung;     /* SoupServerMessage paused in HANG mode */
  guint64          huge_sent;

  GHashTable      *not_modified; /* path → 304s sent (GUINT_TO_POINTER) */
  GHashTable      *extra;        /* path → Page, served before anything else */
};

typedef struct {
  guint  status;
  char  *content_type;
  char  *body;
  char  *location;
} Page;

static void
page_free (Page *page)
{
  g_free (page->content_type);
  g_free (page->body);
  g_free (page->location);
  g_free (page);
}

/* Fixtures say "@SITE@" where the origin goes, so links land on this server. */
static char *
fill_site (DtxTestSite *self,
           const char  *text,
           gsize        length)
{
  GString *str = g_string_new_len (text, length);

  g_string_replace (str, "@SITE@", self->url, 0);
  return g_string_free (str, FALSE);
}

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_build_filename (SITE_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &error))
    g_error ("test site: %s", error->message);

  return contents;
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         char              *body, /* owned */
         gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, length);
}

static void
respond_fixture (DtxTestSite       *self,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *content_type,
                 const char        *name)
{
  gsize length;
  g_autofree char *raw = read_fixture (name, &length);
  char *body = fill_site (self, raw, length);

  respond (msg, status, content_type, body, strlen (body));
}

static void
respond_not_found_page (DtxTestSite       *self,
                        SoupServerMessage *msg)
{
  respond_fixture (self, msg, SOUP_STATUS_NOT_FOUND, HTML_TYPE, "not-found.html");
}

static char *
api_root (DtxTestSite *self)
{
  if (self->mode == DTX_TEST_SITE_REST_ELSEWHERE)
    return g_strconcat (self->url, "/?rest_route=/", NULL);
  return g_strconcat (self->url, "/wp-json/", NULL);
}

static gboolean
home_announces_api (DtxTestSite *self)
{
  return self->mode != DTX_TEST_SITE_REST_MISSING &&
         self->mode != DTX_TEST_SITE_REST_HTML &&
         self->mode != DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST &&
         self->mode != DTX_TEST_SITE_REST_QUERY_ONLY;
}

/* Page 1 of REST and the feed change when a post is published: so do their
 * validators. TRUE when the request's validators match: a 304 was set. */
static gboolean
answer_not_modified (DtxTestSite       *self,
                     SoupServerMessage *msg,
                     const char        *path)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = g_strdup_printf ("\"v%u\"", self->n_added);
  g_autoptr(GDateTime) base = g_date_time_new_utc (2024, 5, 28, 2, 0, 0);
  g_autoptr(GDateTime) modified = g_date_time_add_hours (base, self->n_added);
  g_autofree char *last_modified = soup_date_time_to_string (modified, SOUP_DATE_HTTP);
  const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");
  const char *if_modified_since = soup_message_headers_get_one (request, "If-Modified-Since");
  gboolean fresh = FALSE;

  soup_message_headers_replace (response, "ETag", etag);
  soup_message_headers_replace (response, "Last-Modified", last_modified);

  /* If-None-Match wins when both are sent (RFC 9110, 13.2.2). */
  if (if_none_match != NULL)
    fresh = g_str_equal (if_none_match, etag);
  else if (if_modified_since != NULL)
    {
      g_autoptr(GDateTime) since = soup_date_time_new_from_http_string (if_modified_since);

      fresh = since != NULL && g_date_time_compare (modified, since) <= 0;
    }

  if (!fresh)
    return FALSE;

  {
    guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->not_modified, path));

    g_hash_table_insert (self->not_modified, g_strdup (path), GUINT_TO_POINTER (count + 1));
  }
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
  return TRUE;
}

static void
serve_home (DtxTestSite       *self,
            SoupServerMessage *msg)
{
  gsize length;
  g_autofree char *raw = read_fixture ("index.html", &length);
  g_autofree char *with_site = fill_site (self, raw, length);
  g_autofree char *link_tag = NULL;
  GString *page;

  if (home_announces_api (self))
    {
      g_autofree char *root = api_root (self);
      g_autofree char *link = g_strdup_printf ("<%s>; rel=\"https://api.w.org/\"", root);

      if (self->mode != DTX_TEST_SITE_LINK_HEADER_ONLY)
        link_tag = g_strdup_printf ("<link rel=\"https://api.w.org/\" href=\"%s\" />", root);
      /* Real sites send a shortlink alongside, so the client must split. */
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "Link", "<http://127.0.0.1/?p=1>; rel=shortlink");
      if (self->mode != DTX_TEST_SITE_LINK_TAG_ONLY)
        soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                     "Link", link);
    }

  page = g_string_new (with_site);
  g_string_replace (page, "@API_LINK@", link_tag ? link_tag : "", 0);
  respond (msg, SOUP_STATUS_OK, HTML_TYPE, page->str, page->len);
  g_string_free (page, FALSE);
}

static char *
rss_from_posts (DtxTestSite *self,
                JsonArray   *posts)
{
  GString *rss = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                               "<rss version=\"2.0\"><channel><title>Contoh Tekno</title>"
                               "<link>@SITE@</link><description>Berita teknologi</description>\n");
  char *filled;

  for (guint i = 0; i < json_array_get_length (posts); i++)
    {
      JsonObject *post = json_array_get_object_element (posts, i);
      const char *title = json_object_get_string_member (json_object_get_object_member (post, "title"), "rendered");
      const char *link = json_object_get_string_member (post, "link");
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (json_object_get_string_member (post, "date_gmt"), utc);
      g_autofree char *pub = g_date_time_format (date, "%a, %d %b %Y %H:%M:%S +0000");

      g_string_append_printf (rss, "<item><title><![CDATA[%s]]></title><link>%s</link>"
                                   "<guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate>"
                                   "<description><![CDATA[%s]]></description></item>\n",
                              title, link, link, pub, title);
    }
  g_string_append (rss, "</channel></rss>\n");

  filled = fill_site (self, rss->str, rss->len);
  g_string_free (rss, TRUE);
  return filled;
}

static void
serve_feed (DtxTestSite       *self,
            SoupServerMessage *msg,
            GHashTable        *query)
{
  const char *type = "application/rss+xml; charset=UTF-8";
  const char *paged = query ? g_hash_table_lookup (query, "paged") : NULL;
  guint64 page = 1;

  /* WordPress's feed pages: ?paged=N, a 404 past the last. */
  if (paged != NULL && !g_ascii_string_to_unsigned (paged, 10, 1, G_MAXUINT, &page, NULL))
    page = G_MAXUINT;
  if (page > N_PAGES)
    {
      respond_not_found_page (self, msg);
      return;
    }
  if (page > 1)
    {
      char *body = rss_from_posts (self, json_node_get_array (self->pages[page - 1]));

      respond (msg, SOUP_STATUS_OK, type, body, strlen (body));
      return;
    }

  if (answer_not_modified (self, msg, "/feed/"))
    return;

  if (self->mode == DTX_TEST_SITE_EMPTY)
    {
      respond_fixture (self, msg, SOUP_STATUS_OK, type, "feed-empty.xml");
    }
  else if (self->mode == DTX_TEST_SITE_MALFORMED)
    {
      gsize length;
      g_autofree char *raw = read_fixture ("feed.xml", &length);
      char *body = fill_site (self, raw, length);

      /* Cut mid-document: unclosed elements make it invalid XML. */
      respond (msg, SOUP_STATUS_OK, type, body, strlen (body) / 2);
    }
  else if (self->mode == DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST)
    {
      gsize length;
      g_autofree char *raw = read_fixture ("feed.xml", &length);
      g_autofree char *filled = fill_site (self, raw, length);
      char *first = strstr (filled, "<item>");
      char *end = g_strrstr (filled, "</item>");
      g_auto(GStrv) items = NULL;
      GString *body;
      guint n;

      g_assert (first != NULL && end != NULL);
      end += strlen ("</item>");
      {
        g_autofree char *middle = g_strndup (first, end - first);
        items = g_strsplit (middle, "</item>", -1);
      }
      body = g_string_new_len (filled, first - filled);
      n = g_strv_length (items);
      /* The last piece is what followed the last </item>: whitespace. */
      for (guint i = n - 1; i-- > 0;)
        {
          g_string_append (body, g_strstrip (items[i]));
          g_string_append (body, "</item>\n");
        }
      g_string_append (body, end);
      respond (msg, SOUP_STATUS_OK, type, body->str, body->len);
      g_string_free (body, FALSE);
    }
  else
    {
      respond_fixture (self, msg, SOUP_STATUS_OK, type, "feed.xml");
    }
}

static void
huge_wrote_chunk (SoupServerMessage *msg,
                  DtxTestSite       *self)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (self->huge_sent >= HUGE_SIZE)
    {
      soup_message_body_complete (body);
      return;
    }

  soup_message_body_append_take (body, (guchar *)g_strnfill (HUGE_CHUNK, ' '), HUGE_CHUNK);
  self->huge_sent += HUGE_CHUNK;
}

static void
serve_huge (DtxTestSite       *self,
            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  /* Chunked, with no Content-Length, so only a cap enforced while reading
   * can stop it; each chunk is made only after the previous one was sent. */
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);

  self->huge_sent = 1;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_wrote_chunk), self);
}

static void
set_totals (SoupServerMessage *msg,
            guint              total,
            guint              total_pages)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char buf[16];

  g_snprintf (buf, sizeof buf, "%u", total);
  soup_message_headers_replace (headers, "X-WP-Total", buf);
  g_snprintf (buf, sizeof buf, "%u", total_pages);
  soup_message_headers_replace (headers, "X-WP-TotalPages", buf);
}

static void
respond_json_node (DtxTestSite       *self,
                   SoupServerMessage *msg,
                   JsonNode          *node)
{
  g_autofree char *raw = json_to_string (node, TRUE);
  char *body = fill_site (self, raw, strlen (raw));

  respond (msg, SOUP_STATUS_OK, JSON_TYPE, body, strlen (body));
}

static JsonNode *
find_post (DtxTestSite *self,
           const char  *slug)
{
  for (guint i = 0; i < N_PAGES; i++)
    {
      JsonArray *array = json_node_get_array (self->pages[i]);

      for (guint j = 0; j < json_array_get_length (array); j++)
        {
          JsonObject *post = json_array_get_object_element (array, j);

          if (g_strcmp0 (json_object_get_string_member (post, "slug"), slug) == 0)
            return json_array_get_element (array, j);
        }
    }

  return NULL;
}

static void
serve_posts (DtxTestSite       *self,
             SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *slug = query ? g_hash_table_lookup (query, "slug") : NULL;
  const char *page_str = query ? g_hash_table_lookup (query, "page") : NULL;
  guint64 page = 1;

  if (self->mode == DTX_TEST_SITE_EMPTY)
    {
      set_totals (msg, 0, 0);
      respond (msg, SOUP_STATUS_OK, JSON_TYPE, g_strdup ("[]"), 2);
      return;
    }

  if (slug != NULL)
    {
      g_autoptr(JsonNode) result = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();
      JsonNode *post = find_post (self, slug);

      if (post != NULL)
        json_array_add_element (array, json_node_copy (post));
      json_node_take_array (result, array);
      set_totals (msg, post ? 1 : 0, post ? 1 : 0);
      respond_json_node (self, msg, result);
      return;
    }

  if (page_str != NULL && !g_ascii_string_to_unsigned (page_str, 10, 1, G_MAXUINT, &page, NULL))
    page = 0;

  if (page < 1 || page > N_PAGES)
    {
      respond_fixture (self, msg, SOUP_STATUS_BAD_REQUEST, JSON_TYPE, "error-invalid-page.json");
      return;
    }

  if (page == 1 && answer_not_modified (self, msg, "/wp/v2/posts"))
    return;

  set_totals (msg, self->n_posts, N_PAGES);
  if (page < N_PAGES)
    {
      g_autofree char *root = api_root (self);
      g_autofree char *link = NULL;

      link = g_strdup_printf ("<%swp/v2/posts?_embed=1&page=%u>; rel=\"next\"",
                              root, (guint)page + 1);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Link", link);
    }
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Allow", "GET");
  respond_json_node (self, msg, self->pages[page - 1]);
}

static void forget_hung (SoupServerMessage *msg, DtxTestSite *self);

/* route is what follows the API root: "/", "/wp/v2/posts", … */
static void
serve_rest (DtxTestSite       *self,
            SoupServerMessage *msg,
            const char        *route,
            GHashTable        *query)
{
  switch (self->mode)
    {
    case DTX_TEST_SITE_REST_DISABLED:
      respond_fixture (self, msg, SOUP_STATUS_UNAUTHORIZED, JSON_TYPE, "error-rest-disabled.json");
      return;

    case DTX_TEST_SITE_REST_MISSING:
    case DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST:
      respond_not_found_page (self, msg);
      return;

    case DTX_TEST_SITE_REST_500:
      {
        static const char page[] = "<html><body><h1>Internal Server Error</h1></body></html>";

        soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
        soup_server_message_set_response (msg, HTML_TYPE, SOUP_MEMORY_STATIC, page, strlen (page));
        return;
      }

    case DTX_TEST_SITE_REST_HANG:
      g_ptr_array_add (self->hung, g_object_ref (msg));
      g_signal_connect (msg, "finished", G_CALLBACK (forget_hung), self);
      soup_server_message_pause (msg);
      return;

    case DTX_TEST_SITE_REST_HTML:
      serve_home (self, msg);
      return;

    case DTX_TEST_SITE_REST_BROKEN: /* the feed works in this mode */
    case DTX_TEST_SITE_MALFORMED:
      {
        gsize length;
        g_autofree char *raw = read_fixture ("posts-1.json", &length);
        char *body = fill_site (self, raw, length);

        set_totals (msg, self->n_posts, N_PAGES);
        respond (msg, SOUP_STATUS_OK, JSON_TYPE, body, strlen (body) / 3);
        return;
      }

    case DTX_TEST_SITE_HUGE:
      serve_huge (self, msg);
      return;

    case DTX_TEST_SITE_NORMAL:
    case DTX_TEST_SITE_REST_ELSEWHERE:
    case DTX_TEST_SITE_EMPTY:
    case DTX_TEST_SITE_SERVER_ERROR:
    case DTX_TEST_SITE_HANG:
    default:
      break;
    }

  if (route[0] == '\0' || g_str_equal (route, "/"))
    respond_fixture (self, msg, SOUP_STATUS_OK, JSON_TYPE, "wp-json.json");
  else if (g_str_equal (route, "/wp/v2/posts") || g_str_equal (route, "/wp/v2/posts/"))
    serve_posts (self, msg, query);
  else if (g_str_equal (route, "/wp/v2/categories"))
    respond_fixture (self, msg, SOUP_STATUS_OK, JSON_TYPE, "categories.json");
  else
    respond_fixture (self, msg, SOUP_STATUS_NOT_FOUND, JSON_TYPE, "error-not-found.json");
}

static void
serve_upload (DtxTestSite       *self,
              SoupServerMessage *msg,
              const char        *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *file = NULL;
  g_autoptr(GRegex) sized = NULL;
  g_autofree char *name = NULL;
  const char *dot = strrchr (base, '.');
  const char *type;
  char *contents;
  gsize length;

  if (dot == NULL || strstr (path, "..") != NULL)
    {
      respond_not_found_page (self, msg);
      return;
    }

  /* WordPress makes "name-300x169.jpg" from "name.jpg"; one file serves all. */
  sized = g_regex_new ("-[0-9]+x[0-9]+(\\.[a-z]+)$", 0, 0, NULL);
  name = g_regex_replace (sized, base, -1, 0, "\\1", 0, NULL);
  file = g_build_filename (SITE_DIR, "uploads", name, NULL);

  if (!g_file_get_contents (file, &contents, &length, NULL))
    {
      respond_not_found_page (self, msg);
      return;
    }

  type = g_str_has_suffix (name, ".png") ? "image/png" : "image/jpeg";
  respond (msg, SOUP_STATUS_OK, type, contents, length);
}

static void
serve_article_page (DtxTestSite       *self,
                    SoupServerMessage *msg,
                    const char        *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  const char *slug = NULL;
  JsonObject *post;
  JsonNode *node;
  GString *page;
  char *raw;
  char *body;

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0')
      slug = parts[i];

  node = slug ? find_post (self, slug) : NULL;
  if (node == NULL)
    {
      respond_not_found_page (self, msg);
      return;
    }

  post = json_node_get_object (node);
  raw = read_fixture ("article.html", NULL);
  page = g_string_new (raw);
  g_free (raw);
  g_string_replace (page, "@TITLE@",
                    json_object_get_string_member (json_object_get_object_member (post, "title"), "rendered"), 0);
  g_string_replace (page, "@LINK@", json_object_get_string_member (post, "link"), 0);
  g_string_replace (page, "@CONTENT@",
                    json_object_get_string_member (json_object_get_object_member (post, "content"), "rendered"), 0);
  body = fill_site (self, page->str, page->len);
  g_string_free (page, TRUE);
  respond (msg, SOUP_STATUS_OK, HTML_TYPE, body, strlen (body));
}

static void
record_request (DtxTestSite       *self,
                SoupServerMessage *msg,
                const char        *path)
{
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path));

  g_hash_table_insert (self->counts, g_strdup (path), GUINT_TO_POINTER (count + 1));
  g_hash_table_insert (self->queries, g_strdup (path), g_strdup (g_uri_get_query (uri)));
  g_ptr_array_add (self->requests, g_strconcat (path, "?", g_uri_get_query (uri), NULL));

  g_hash_table_remove_all (self->headers);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_insert (self->headers, g_ascii_strdown (name, -1), g_strdup (value));
}

static void
forget_hung (SoupServerMessage *msg,
             DtxTestSite       *self)
{
  g_ptr_array_remove_fast (self->hung, msg);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  DtxTestSite *self = user_data;
  const char *rest_route = query ? g_hash_table_lookup (query, "rest_route") : NULL;
  Page *extra;

  record_request (self, msg, path);

  extra = g_hash_table_lookup (self->extra, path);
  if (extra != NULL)
    {
      soup_server_message_set_status (msg, extra->status, NULL);
      if (extra->location != NULL)
        {
          g_autofree char *location = fill_site (self, extra->location, strlen (extra->location));

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Location", location);
        }
      if (extra->body != NULL)
        {
          char *body = fill_site (self, extra->body, strlen (extra->body));

          soup_server_message_set_response (msg, extra->content_type, SOUP_MEMORY_TAKE,
                                            body, strlen (body));
        }
      return;
    }

  if (self->mode == DTX_TEST_SITE_RATE_LIMITED || self->mode == DTX_TEST_SITE_UNAVAILABLE)
    {
      static const char text[] = "<html><body><h1>Slow down</h1></body></html>";
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

      if (self->mode == DTX_TEST_SITE_RATE_LIMITED)
        {
          soup_server_message_set_status (msg, 429, "Too Many Requests");
          soup_message_headers_replace (headers, "Retry-After", "120");
        }
      else
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);
          g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);

          soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
          soup_message_headers_replace (headers, "Retry-After", date);
        }
      soup_server_message_set_response (msg, HTML_TYPE, SOUP_MEMORY_STATIC, text, strlen (text));
      return;
    }

  if (self->mode == DTX_TEST_SITE_HANG)
    {
      g_ptr_array_add (self->hung, g_object_ref (msg));
      g_signal_connect (msg, "finished", G_CALLBACK (forget_hung), self);
      soup_server_message_pause (msg);
      return;
    }

  if (self->mode == DTX_TEST_SITE_SERVER_ERROR)
    {
      static const char page[] =
        "<html><body><h1>Error establishing a database connection</h1></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (msg, HTML_TYPE, SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  if (g_str_has_prefix (path, "/wp-json"))
    {
      if (self->mode == DTX_TEST_SITE_REST_ELSEWHERE || self->mode == DTX_TEST_SITE_REST_QUERY_ONLY)
        respond_not_found_page (self, msg);
      else
        serve_rest (self, msg, path + strlen ("/wp-json"), query);
    }
  else if (g_str_equal (path, "/") && rest_route != NULL)
    serve_rest (self, msg, rest_route, query);
  else if (g_str_equal (path, "/"))
    serve_home (self, msg);
  else if (g_str_equal (path, "/feed/") || g_str_equal (path, "/feed"))
    serve_feed (self, msg, query);
  else if (g_str_has_prefix (path, "/wp-content/uploads/"))
    serve_upload (self, msg, path);
  else
    serve_article_page (self, msg, path);
}

static void
load_pages (DtxTestSite *self)
{
  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("posts-%u.json", i + 1);
      g_autofree char *path = g_build_filename (SITE_DIR, name, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (!json_parser_load_from_file (parser, path, &error))
        g_error ("test site: %s: %s", path, error->message);

      self->pages[i] = json_node_copy (json_parser_get_root (parser));
      self->n_posts += json_array_get_length (json_node_get_array (self->pages[i]));
    }
}

DtxTestSite *
dtx_test_site_new (void)
{
  DtxTestSite *self = g_new0 (DtxTestSite, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->queries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requests = g_ptr_array_new_with_free_func (g_free);
  self->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hung = g_ptr_array_new_with_free_func (g_object_unref);
  self->not_modified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->extra = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)page_free);
  load_pages (self);

  self->server = soup_server_new ("server-header", "Apache", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("test site: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  uri = uris->data;
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return self;
}

void
dtx_test_site_add_post (DtxTestSite *self)
{
  JsonArray *page = json_node_get_array (self->pages[0]);
  /* json_node_copy() shares the object: a real copy through text. */
  g_autofree char *text_copy = json_to_string (json_array_get_element (page, 0), FALSE);
  JsonNode *copy = json_from_string (text_copy, NULL);
  JsonObject *post = json_node_get_object (copy);
  JsonObject *title = json_object_new ();
  g_autoptr(GList) elements = json_array_get_elements (page);
  JsonArray *updated = json_array_new ();
  guint n = ++self->n_added;
  /* A minute apart: each new post is the newest. */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_minutes (now, n - 10);
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *slug = g_strdup_printf ("berita-baru-%u", n);
  g_autofree char *link = g_strdup_printf ("@SITE@/%s/", slug);
  g_autofree char *text = g_strdup_printf ("Berita Baru Nomor %u", n);

  json_object_set_int_member (post, "id", 900 + n);
  json_object_set_string_member (post, "slug", slug);
  json_object_set_string_member (post, "link", link);
  json_object_set_string_member (post, "date", date);
  json_object_set_string_member (post, "date_gmt", date);
  json_object_set_string_member (title, "rendered", text);
  json_object_set_object_member (post, "title", title);
  json_object_remove_member (post, "guid");

  json_array_add_element (updated, copy);
  for (GList *l = elements; l != NULL; l = l->next)
    json_array_add_element (updated, json_node_copy (l->data));
  json_node_take_array (self->pages[0], updated);
  self->n_posts++;
}

void
dtx_test_site_free (DtxTestSite *self)
{
  if (self == NULL)
    return;

  /* Let paused requests go so their connections close and nothing leaks. */
  for (guint i = 0; i < self->hung->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (self->hung, i);

      g_signal_handlers_disconnect_by_func (msg, forget_hung, self);
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_unpause (msg);
    }

  soup_server_disconnect (self->server);
  g_ptr_array_unref (self->hung);
  g_clear_object (&self->server);

  /* Closing the accepted connections finishes in idle callbacks; run them
   * now, or each test would leak its sockets. */
  while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
    ;

  for (guint i = 0; i < N_PAGES; i++)
    g_clear_pointer (&self->pages[i], json_node_unref);
  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->queries);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->headers);
  g_hash_table_unref (self->not_modified);
  g_hash_table_unref (self->extra);
  g_free (self->url);
  g_free (self);
}

const char *
dtx_test_site_get_url (DtxTestSite *self)
{
  return self->url;
}

void
dtx_test_site_set_mode (DtxTestSite     *self,
                        DtxTestSiteMode  mode)
{
  self->mode = mode;
}

guint
dtx_test_site_count_requests (DtxTestSite *self,
                              const char  *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, path));
}

const char *
dtx_test_site_last_query (DtxTestSite *self,
                          const char  *path)
{
  return g_hash_table_lookup (self->queries, path);
}

guint
dtx_test_site_count_queries (DtxTestSite *self,
                             const char  *path,
                             const char  *part)
{
  g_autofree char *prefix = g_strconcat (path, "?", NULL);
  guint n = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      const char *request = g_ptr_array_index (self->requests, i);

      n += g_str_has_prefix (request, prefix) && strstr (request + strlen (prefix), part) != NULL;
    }
  return n;
}

const char *
dtx_test_site_last_header (DtxTestSite *self,
                           const char  *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_hash_table_lookup (self->headers, lower);
}

guint
dtx_test_site_count_not_modified (DtxTestSite *self,
                                  const char  *path)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->not_modified, path));
}

void
dtx_test_site_add_page (DtxTestSite *self,
                        const char  *path,
                        guint        status,
                        const char  *content_type,
                        const char  *body)
{
  Page *page = g_new0 (Page, 1);

  page->status = status;
  page->content_type = g_strdup (content_type);
  page->body = g_strdup (body);
  g_hash_table_replace (self->extra, g_strdup (path), page);
}

void
dtx_test_site_add_redirect (DtxTestSite *self,
                            const char  *path,
                            const char  *location)
{
  Page *page = g_new0 (Page, 1);

  page->status = SOUP_STATUS_MOVED_PERMANENTLY;
  page->location = g_strdup (location);
  g_hash_table_replace (self->extra, g_strdup (path), page);
}

guint64
dtx_test_site_get_huge_bytes_sent (DtxTestSite *self)
{
  return self->huge_sent;
}

#define SAFETY_SECONDS 30

void
dtx_test_store_result (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
dtx_test_wait_result (GAsyncResult **slot)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (SAFETY_SECONDS, deadline_cb, &expired);

  while (*slot == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);
  if (*slot == NULL)
    g_error ("no result within %d s", SAFETY_SECONDS);
}

void
dtx_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            dtx_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}
