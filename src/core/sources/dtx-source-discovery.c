/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source-discovery"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-json.h"
#include "dtx-sanitizer.h"
#include "dtx-source-discovery.h"
#include "dtx-source-discovery-private.h"
#include "dtx-source-private.h"
#include "dtx-wordpress.h"
#include "dtx-wordpress-source.h"

#define MAX_CANDIDATES 6 /* feeds one page offers that are tried */
#define N_LATEST       3

/* DtxDiscovered */

G_DEFINE_BOXED_TYPE (DtxDiscovered, dtx_discovered, dtx_discovered_copy, dtx_discovered_free)

DtxDiscovered *
dtx_discovered_copy (const DtxDiscovered *d)
{
  DtxDiscovered *copy;

  g_return_val_if_fail (d != NULL, NULL);

  copy = g_new0 (DtxDiscovered, 1);
  copy->url = g_strdup (d->url);
  copy->kind = d->kind;
  copy->api_root = g_strdup (d->api_root);
  copy->title = g_strdup (d->title);
  copy->icon_url = g_strdup (d->icon_url);
  copy->latest = d->latest ? g_ptr_array_ref (d->latest) : NULL;
  return copy;
}

void
dtx_discovered_free (DtxDiscovered *d)
{
  if (d == NULL)
    return;

  g_free (d->url);
  g_free (d->api_root);
  g_free (d->title);
  g_free (d->icon_url);
  g_clear_pointer (&d->latest, g_ptr_array_unref);
  g_free (d);
}

DtxSource *
dtx_discovered_create_source (const DtxDiscovered *d,
                              DtxFetcher          *fetcher)
{
  DtxSource *source;

  g_return_val_if_fail (d != NULL, NULL);
  g_return_val_if_fail (DTX_IS_FETCHER (fetcher), NULL);

  source = dtx_source_new_for_kind (fetcher, d->url, d->kind, d->api_root);
  /* A title that is only the host (the site told none) is no site title. */
  if (g_strcmp0 (d->title, dtx_source_get_title (source)) != 0)
    dtx_source_set_site_title (source, d->title);
  dtx_source_set_icon_url (source, d->icon_url);
  return source;
}

/* What the user typed */

char *
dtx_source_discovery_normalise_typed (const char *typed)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *full = NULL;
  g_autoptr(GUri) uri = NULL;

  if (typed == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (typed));
  if (*trimmed == '\0' || strpbrk (trimmed, " \t\r\n") != NULL)
    return NULL;

  /* feed:// and feed:https:// come from old browser buttons. */
  if (g_ascii_strncasecmp (trimmed, "feed:", 5) == 0)
    {
      const char *rest = trimmed + 5;

      if (g_str_has_prefix (rest, "//"))
        full = g_strconcat ("https:", rest, NULL);
      else
        full = g_strdup (rest);
    }
  else if (strstr (trimmed, "://") == NULL)
    full = g_strconcat ("https://", trimmed, NULL);
  else
    full = g_strdup (trimmed);

  /* "news" alone is a word, not a site; localhost and IPv6 literals are. */
  uri = dtx_source_parse_http_uri (full);
  if (uri == NULL ||
      (strchr (g_uri_get_host (uri), '.') == NULL && strchr (g_uri_get_host (uri), ':') == NULL &&
       g_ascii_strcasecmp (g_uri_get_host (uri), "localhost") != 0))
    return NULL;

  return g_uri_to_string (uri);
}

static char *
host_for_people (const char *url)
{
  g_autoptr(GUri) uri = dtx_source_parse_http_uri (url);

  return g_strdup (uri ? g_uri_get_host (uri) : url);
}

/* YouTube */

static gboolean
is_youtube_host (const char *host)
{
  static const char * const hosts[] = {
    "youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
  };

  for (guint i = 0; host != NULL && i < G_N_ELEMENTS (hosts); i++)
    if (g_ascii_strcasecmp (host, hosts[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Channel ids, user names and playlist ids are plain tokens. */
static gboolean
is_token (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 128)
    return FALSE;

  for (; *s != '\0'; s++)
    if (!g_ascii_isalnum (*s) && *s != '_' && *s != '-' && *s != '.')
      return FALSE;

  return TRUE;
}

static char *
youtube_feed (const char *param,
              const char *value)
{
  return g_strdup_printf ("https://www.youtube.com/feeds/videos.xml?%s=%s", param, value);
}

char *
dtx_source_discovery_youtube_feed_url (const char *url)
{
  g_autofree char *full = dtx_source_discovery_normalise_typed (url);
  g_autoptr(GUri) uri = dtx_source_parse_http_uri (full);
  g_auto(GStrv) parts = NULL;
  const char *query;
  g_autoptr(GHashTable) params = NULL;
  const char *list;

  if (uri == NULL || !is_youtube_host (g_uri_get_host (uri)))
    return NULL;

  /* A playlist wins over the video it was opened on (watch?v=…&list=…). */
  query = g_uri_get_query (uri);
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  list = params ? g_hash_table_lookup (params, "list") : NULL;
  if (is_token (list))
    return youtube_feed ("playlist_id", list);

  parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  /* parts[0] is "" before the leading slash. */
  if (parts[0] != NULL && parts[1] != NULL && parts[2] != NULL)
    {
      if (g_str_equal (parts[1], "channel") && g_str_has_prefix (parts[2], "UC") && is_token (parts[2]))
        return youtube_feed ("channel_id", parts[2]);
      if (g_str_equal (parts[1], "user") && is_token (parts[2]))
        return youtube_feed ("user", parts[2]);
    }

  return NULL;
}

static char *
youtube_channel_id_after (const char *html,
                          gsize       length,
                          const char *marker)
{
  const char *end = html + length;
  const char *p = g_strstr_len (html, length, marker);
  const char *start;

  if (p == NULL)
    return NULL;

  start = p + strlen (marker);
  p = start;
  while (p < end && (g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
    p++;

  /* Channel ids are "UC" and 22 more characters. */
  if (p - start == 24 && g_str_has_prefix (start, "UC"))
    return g_strndup (start, p - start);
  return NULL;
}

char *
dtx_source_discovery_youtube_feed_from_page (const char *html,
                                             gsize       length)
{
  static const char * const markers[] = {
    "<meta itemprop=\"channelId\" content=\"",
    "<meta itemprop=\"identifier\" content=\"",
    "\"externalId\":\"",
    "\"channelId\":\"",
    "youtube.com/channel/",
  };

  for (guint i = 0; html != NULL && i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *id = youtube_channel_id_after (html, length, markers[i]);

      if (id != NULL)
        return youtube_feed ("channel_id", id);
    }

  return NULL;
}

/* Pages */

static gboolean
has_token (const char *list,
           const char *token)
{
  g_auto(GStrv) tokens = NULL;

  if (list == NULL)
    return FALSE;

  tokens = g_strsplit_set (list, " \t\r\n", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (g_ascii_strcasecmp (tokens[i], token) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
is_announced_feed_type (const char *type)
{
  static const char * const types[] = {
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/rdf+xml",
  };
  g_autofree char *plain = NULL;
  char *semicolon;

  if (type == NULL)
    return FALSE;

  plain = g_ascii_strdown (type, -1);
  if ((semicolon = strchr (plain, ';')) != NULL)
    *semicolon = '\0';
  g_strstrip (plain);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (plain, types[i]))
      return TRUE;

  return FALSE;
}

static char *
prop (xmlNode    *node,
      const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *)name);
  char *copy = value ? g_strstrip (g_strdup ((const char *)value)) : NULL;

  xmlFree (value);
  return copy;
}

static void
collect_links (xmlNode    *node,
               char      **base,
               GPtrArray  *hrefs)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type != XML_ELEMENT_NODE)
        continue;

      if (g_ascii_strcasecmp ((const char *)node->name, "base") == 0 && *base == NULL)
        *base = prop (node, "href");
      else if (g_ascii_strcasecmp ((const char *)node->name, "link") == 0)
        {
          g_autofree char *rel = prop (node, "rel");
          g_autofree char *type = prop (node, "type");
          g_autofree char *href = prop (node, "href");

          if (href != NULL && *href != '\0' && has_token (rel, "alternate") &&
              is_announced_feed_type (type))
            g_ptr_array_add (hrefs, g_steal_pointer (&href));
        }

      collect_links (node->children, base, hrefs);
    }
}

static void
silent_error (void       *context,
              const char *format,
              ...)
{
}

GPtrArray *
dtx_source_discovery_feeds_from_html (const char *html,
                                      gsize       length,
                                      const char *page_uri)
{
  g_autoptr(GPtrArray) hrefs = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *feeds = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = NULL;
  g_autofree char *base_uri = NULL;
  g_autofree char *head = NULL;
  g_autofree char *bounded = NULL;
  xmlGenericErrorFunc old_handler;
  void *old_context;
  htmlDocPtr doc;

  if (html == NULL || length == 0)
    return feeds;

  length = dtx_source_html_head_length (html, length);
  if (length == 0 || length > G_MAXINT)
    return feeds;

  /* Bounded first, so that libxml2's time stays linear in the length. */
  head = g_strndup (html, length);
  bounded = dtx_sanitizer_bound_markup (head, NULL);

  /* NOERROR does not cover the encoding layer, which reports through the
   * (per-thread) generic handler: a broken page is not worth a line on stderr. */
  old_handler = xmlGenericError;
  old_context = xmlGenericErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_error);
  doc = htmlReadMemory (bounded, (int)MIN (strlen (bounded), G_MAXINT), page_uri, NULL,
                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);
  xmlSetGenericErrorFunc (old_context, old_handler);
  if (doc == NULL)
    return feeds;

  collect_links (xmlDocGetRootElement (doc), &base, hrefs);
  xmlFreeDoc (doc);

  base_uri = base ? g_uri_resolve_relative (page_uri, base, G_URI_FLAGS_NONE, NULL) : NULL;
  for (guint i = 0; i < hrefs->len; i++)
    {
      g_autofree char *resolved = g_uri_resolve_relative (base_uri ? base_uri : page_uri,
                                                          g_ptr_array_index (hrefs, i),
                                                          G_URI_FLAGS_NONE, NULL);
      g_autoptr(GUri) uri = dtx_source_parse_http_uri (resolved);
      g_autofree char *text = uri ? g_uri_to_string (uri) : NULL;
      gboolean seen = FALSE;

      if (text == NULL)
        continue;
      for (guint j = 0; j < feeds->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (feeds, j), text);
      if (!seen)
        g_ptr_array_add (feeds, g_steal_pointer (&text));
    }

  return feeds;
}

/* Discovery */

typedef struct {
  DtxSourceKind kind;
  char         *url;
  char         *api_root;
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->url);
  g_free (c->api_root);
  g_free (c);
}

typedef struct {
  DtxFetcher *fetcher;
  char       *url;        /* normalised */
  char       *page_uri;   /* the page, after redirects */
  GPtrArray  *feeds;      /* announced by the page */
  GPtrArray  *candidates; /* Candidate */
  GPtrArray  *results;    /* DtxDiscovered, in candidates' order */
  GError     *error;      /* the first failure of a candidate */
  gboolean    page_is_html;
  gboolean    try_http;   /* typed without a scheme: http:// when https:// fails */
  guint       pending;
} Discovery;

static void
discovery_free (Discovery *d)
{
  g_clear_object (&d->fetcher);
  g_free (d->url);
  g_free (d->page_uri);
  g_clear_pointer (&d->feeds, g_ptr_array_unref);
  g_clear_pointer (&d->candidates, g_ptr_array_unref);
  g_clear_pointer (&d->results, g_ptr_array_unref);
  g_clear_error (&d->error);
  g_free (d);
}

static void
add_candidate (Discovery     *d,
               DtxSourceKind  kind,
               const char    *url,
               const char    *api_root)
{
  Candidate *c = g_new0 (Candidate, 1);

  c->kind = kind;
  c->url = g_strdup (url);
  c->api_root = g_strdup (api_root);
  g_ptr_array_add (d->candidates, c);
}

static void
return_no_feed (GTask *task)
{
  Discovery *d = g_task_get_task_data (task);
  g_autofree char *host = host_for_people (d->url);

  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NO_FEED,
                           _("No feed was found at %s. Check the address, or paste the address of the site’s feed."),
                           host);
}

typedef struct {
  GTask     *task;
  DtxSource *source;
  guint      index;
} Check;

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(GTask) task = check->task;
  g_autoptr(DtxSource) source = check->source;
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  guint index = check->index;

  g_free (check);
  articles = dtx_source_fetch_page_finish (source, result, &error);

  if (articles != NULL || g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
    {
      DtxDiscovered *found = g_new0 (DtxDiscovered, 1);
      g_autofree char *favicon = dtx_source_favicon_url (dtx_source_get_url (source));

      found->url = g_strdup (dtx_source_get_url (source));
      found->kind = dtx_source_get_kind (source);
      if (found->kind == DTX_SOURCE_KIND_UNKNOWN)
        found->kind = DTX_IS_WORDPRESS_SOURCE (source) ? DTX_SOURCE_KIND_WORDPRESS : DTX_SOURCE_KIND_FEED;
      found->api_root = g_strdup (dtx_source_get_api_root (source));
      found->title = g_strdup (dtx_source_get_title (source));
      found->icon_url = g_strdup (dtx_source_get_icon_url (source) ? dtx_source_get_icon_url (source) : favicon);
      found->latest = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; articles != NULL && i < articles->len && i < N_LATEST; i++)
        g_ptr_array_add (found->latest, g_object_ref (g_ptr_array_index (articles, i)));
      g_ptr_array_index (d->results, index) = found;
    }
  else
    {
      g_message ("Discovery: %s failed: %s", dtx_source_get_url (source), error->message);
      if (d->error == NULL || g_error_matches (d->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        d->error = g_steal_pointer (&error);
    }

  if (--d->pending > 0)
    return;

  while (g_ptr_array_remove (d->results, NULL))
    ;

  if (d->results->len > 0)
    g_task_return_pointer (task, g_steal_pointer (&d->results), (GDestroyNotify)g_ptr_array_unref);
  else if (d->error != NULL && !g_error_matches (d->error, DTX_ERROR, DTX_ERROR_PARSE))
    g_task_return_error (task, g_steal_pointer (&d->error));
  else
    return_no_feed (task); /* what answered was not a feed */
}

/* Each candidate is read like a source would be: its page 1 gives the
 * name, the icon and the latest titles, and proves it works. */
static void
check_candidates (GTask *task)
{
  Discovery *d = g_task_get_task_data (task);

  if (d->candidates->len == 0)
    {
      return_no_feed (task);
      return;
    }

  d->results = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_discovered_free);
  g_ptr_array_set_size (d->results, d->candidates->len);
  d->pending = d->candidates->len;

  for (guint i = 0; i < d->candidates->len; i++)
    {
      Candidate *c = g_ptr_array_index (d->candidates, i);
      Check *check = g_new0 (Check, 1);

      check->task = g_object_ref (task);
      check->source = dtx_source_new_for_kind (d->fetcher, c->url, c->kind, c->api_root);
      check->index = i;
      g_debug ("Discovery: trying %s (%s)", c->url,
               c->kind == DTX_SOURCE_KIND_WORDPRESS ? "WordPress" : "feed");
      dtx_source_fetch_page_async (check->source, 1, g_task_get_cancellable (task),
                                   check_done, check);
    }
}

/* The site a REST root belongs to: "https://site/blog/wp-json/" →
 * "https://site/blog"; "https://site/?rest_route=/" → "https://site". */
static char *
site_of_api_root (const char *root)
{
  g_autoptr(GUri) uri = dtx_source_parse_http_uri (root);
  g_autoptr(GUri) site = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  char *wp_json;

  if (uri == NULL)
    return NULL;

  path = g_strdup (g_uri_get_path (uri));
  if ((wp_json = strstr (path, "/wp-json")) != NULL)
    *wp_json = '\0';

  site = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), path, NULL, NULL);
  text = g_uri_to_string (site);
  return dtx_source_normalise_url (text);
}

static gboolean
is_wordpress_index (DtxResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *namespaces;
  gconstpointer data;
  gsize size;

  if (!SOUP_STATUS_IS_SUCCESSFUL (response->status) ||
      (data = g_bytes_get_data (response->body, &size)) == NULL || size >= G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data, (gssize)size, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  namespaces = dtx_json_array_member (json_node_get_object (root), "namespaces");
  for (guint i = 0; namespaces != NULL && i < json_array_get_length (namespaces); i++)
    {
      JsonNode *node = json_array_get_element (namespaces, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (node), "wp/v2") == 0)
        return TRUE;
    }

  return FALSE;
}

static void
take_announced_feeds (GTask *task)
{
  Discovery *d = g_task_get_task_data (task);

  for (guint i = 0; d->feeds != NULL && i < d->feeds->len && i < MAX_CANDIDATES; i++)
    add_candidate (d, DTX_SOURCE_KIND_FEED, g_ptr_array_index (d->feeds, i), NULL);

  /* Nothing announced: the address itself may be a feed with an odd type;
   * a page that says it is HTML and looks it is none. */
  if (d->candidates->len == 0 && !d->page_is_html)
    add_candidate (d, DTX_SOURCE_KIND_FEED, d->page_uri, NULL);

  check_candidates (task);
}

static void
rest_route_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (response != NULL && is_wordpress_index (response))
    {
      g_autofree char *site = site_of_api_root (response->uri);
      g_autoptr(GUri) uri = dtx_source_parse_http_uri (response->uri);
      g_autoptr(GUri) root_uri = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                              g_uri_get_host (uri), g_uri_get_port (uri),
                                              g_uri_get_path (uri), "rest_route=/", NULL);
      g_autofree char *root = g_uri_to_string (root_uri);

      add_candidate (d, DTX_SOURCE_KIND_WORDPRESS, site, root);
      check_candidates (task);
      return;
    }

  take_announced_feeds (task);
}

/* Neither the Link header nor a <link> tag: WordPress still answers
 * ?rest_route=/ when a plugin hid both. */
static void
try_rest_route (GTask *task)
{
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(GUri) page = dtx_source_parse_http_uri (d->page_uri);
  g_autoptr(GUri) probe = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (page), NULL,
                                       g_uri_get_host (page), g_uri_get_port (page),
                                       *g_uri_get_path (page) ? g_uri_get_path (page) : "/",
                                       "rest_route=/", NULL);
  g_autofree char *url = g_uri_to_string (probe);

  dtx_fetcher_get_async (d->fetcher, url, g_task_get_cancellable (task),
                         rest_route_cb, g_object_ref (task));
}

static gboolean
looks_like_feed (DtxResponse *response)
{
  g_autofree char *type = dtx_response_dup_content_type (response);
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);
  gsize i = 0;

  if (type != NULL &&
      (is_announced_feed_type (type) || g_str_equal (type, "text/xml") ||
       g_str_equal (type, "application/xml")))
    return TRUE;

  /* Servers label feeds text/html or text/plain often enough: the body tells. */
  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;
  if (i < size && data[i] == '{')
    return g_strstr_len (data + i, MIN (size - i, 4096), "jsonfeed.org/version") != NULL;
  if (i < size && data[i] == '<')
    {
      gsize len = MIN (size - i, 2048);

      return g_strstr_len (data + i, len, "<html") == NULL &&
             g_strstr_len (data + i, len, "<!DOCTYPE html") == NULL &&
             g_strstr_len (data + i, len, "<!doctype html") == NULL &&
             (g_strstr_len (data + i, len, "<rss") != NULL ||
              g_strstr_len (data + i, len, "<feed") != NULL ||
              g_strstr_len (data + i, len, "<rdf:RDF") != NULL);
    }

  return FALSE;
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *d = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autofree char *root = NULL;
  GError *error = NULL;
  const char *html;
  gsize size;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL && d->try_http &&
      (g_error_matches (error, DTX_ERROR, DTX_ERROR_NETWORK) ||
       g_error_matches (error, DTX_ERROR, DTX_ERROR_TIMEOUT) ||
       g_error_matches (error, DTX_ERROR, DTX_ERROR_TLS)))
    {
      /* Typed without a scheme: https:// was a guess. Some small sites
       * still answer only plain http://; the address found says so. */
      g_autofree char *http = g_strconcat ("http://", d->url + strlen ("https://"), NULL);
      GCancellable *cancellable = g_task_get_cancellable (task);

      g_message ("Discovery: %s failed (%s), trying %s", d->url, error->message, http);
      g_clear_error (&error);
      d->try_http = FALSE;
      g_free (d->url);
      d->url = g_steal_pointer (&http);
      dtx_fetcher_get_async (d->fetcher, d->url, cancellable, page_cb, g_steal_pointer (&task));
      return;
    }
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_free (d->page_uri);
  d->page_uri = g_strdup (response->uri);
  html = g_bytes_get_data (response->body, &size);

  /* WordPress announces its API on every page, even on a 404. */
  root = dtx_wordpress_api_root_from_link_header (soup_message_headers_get_list (response->headers, "Link"));
  if (root == NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status))
    root = dtx_wordpress_api_root_from_html (html, dtx_source_html_head_length (html, size));
  if (root != NULL)
    {
      g_autofree char *site = site_of_api_root (root);

      g_debug ("Discovery: %s announces WordPress at %s", response->uri, root);
      add_candidate (d, DTX_SOURCE_KIND_WORDPRESS, site, root);
      check_candidates (task);
      return;
    }

  if (!dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (looks_like_feed (response))
    {
      add_candidate (d, DTX_SOURCE_KIND_FEED, response->uri, NULL);
      check_candidates (task);
      return;
    }

  d->feeds = dtx_source_discovery_feeds_from_html (html, size, response->uri);
  {
    g_autofree char *type = dtx_response_dup_content_type (response);

    d->page_is_html = g_strcmp0 (type, "text/html") == 0 || g_strcmp0 (type, "application/xhtml+xml") == 0;
  }

  /* A YouTube handle page (/@name) announces its channel's feed, or at
   * least names the channel somewhere; YouTube is no WordPress. */
  {
    g_autoptr(GUri) uri = dtx_source_parse_http_uri (response->uri);

    if (uri != NULL && is_youtube_host (g_uri_get_host (uri)))
      {
        g_autofree char *youtube = NULL;

        if (d->feeds->len == 0 &&
            (youtube = dtx_source_discovery_youtube_feed_from_page (html, size)) != NULL)
          add_candidate (d, DTX_SOURCE_KIND_FEED, youtube, NULL);
        take_announced_feeds (task);
        return;
      }
  }

  try_rest_route (task);
}

void
dtx_source_discover_async (DtxFetcher          *fetcher,
                           const char          *typed_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *youtube = NULL;
  Discovery *d;

  g_return_if_fail (DTX_IS_FETCHER (fetcher));
  g_return_if_fail (typed_url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_discover_async);

  d = g_new0 (Discovery, 1);
  d->fetcher = g_object_ref (fetcher);
  d->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)candidate_free);
  g_task_set_task_data (task, d, (GDestroyNotify)discovery_free);

  d->url = dtx_source_discovery_normalise_typed (typed_url);
  if (d->url == NULL)
    {
      g_autofree char *plain = g_strstrip (g_strdup (typed_url));

      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NO_FEED,
                               _("“%s” is not a web address. Type the address of a site or of its feed, such as example.com."),
                               plain);
      return;
    }
  d->page_uri = g_strdup (d->url);
  {
    g_autofree char *plain = g_strstrip (g_strdup (typed_url));

    d->try_http = strstr (plain, "://") == NULL && g_ascii_strncasecmp (plain, "feed:", 5) != 0 &&
                  g_str_has_prefix (d->url, "https://");
  }

  youtube = dtx_source_discovery_youtube_feed_url (d->url);
  if (youtube != NULL)
    {
      add_candidate (d, DTX_SOURCE_KIND_FEED, youtube, NULL);
      check_candidates (task);
      return;
    }

  dtx_fetcher_get_async (fetcher, d->url, cancellable, page_cb, g_steal_pointer (&task));
}

GPtrArray *
dtx_source_discover_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
