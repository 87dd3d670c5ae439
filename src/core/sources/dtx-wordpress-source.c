/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-wordpress-source"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-uri.h"
#include "dtx-feed.h"
#include "dtx-json.h"
#include "dtx-sanitizer.h"
#include "dtx-source-private.h"
#include "dtx-wordpress.h"
#include "dtx-wordpress-source.h"

#define CATEGORIES_QUERY "per_page=100&orderby=count&order=desc&hide_empty=true"

struct _DtxWordpressSource
{
  DtxSource  parent_instance;

  char      *feed_url;
  char      *page1_first_link; /* paged feed: page 1's first link, to spot a server ignoring ?paged= */
  gboolean   root_asked;       /* the REST root was asked for the name once */
  gboolean   rest_closed;      /* a known WordPress whose REST API refuses: read the feed page by page */
  gboolean   probed;           /* kind was UNKNOWN at construction: today's probing rules */
};

G_DEFINE_FINAL_TYPE (DtxWordpressSource, dtx_wordpress_source, DTX_TYPE_SOURCE)

#define WP(s) ((DtxWordpressSource *)(s))

static char *
last_path_segment (const char *url)
{
  g_autoptr(GUri) uri = dtx_uri_parse_http (url);
  g_auto(GStrv) parts = NULL;
  const char *last = NULL;

  if (uri == NULL)
    return NULL;

  parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      last = parts[i];

  return last ? g_uri_unescape_string (last, NULL) : NULL;
}

static gboolean
is_json_type (const char *type)
{
  return type != NULL &&
         (g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json"));
}

/* Some hosts label the REST answer text/html; the body still tells. */
static gboolean
body_looks_like_json (GBytes *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  for (gsize i = 0; i < size; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '[';
    }

  return FALSE;
}

/* A REST route under an API root, for "/wp-json/" and "?rest_route=/" roots
 * alike (as dtx_wordpress_posts_url() does for posts). */
static char *
rest_url (const char *api_root,
          const char *route, /* "wp/v2/categories" */
          const char *query)
{
  GString *url;

  if (strstr (api_root, "?rest_route=") != NULL || strstr (api_root, "&rest_route=") != NULL)
    {
      url = g_string_new (api_root);
      if (url->len == 0 || url->str[url->len - 1] != '/')
        g_string_append_c (url, '/');
      g_string_append_printf (url, "%s&%s", route, query);
    }
  else
    {
      const char *q = strchr (api_root, '?');

      url = g_string_new_len (api_root, q ? q - api_root : (gssize)strlen (api_root));
      while (url->len > 0 && url->str[url->len - 1] == '/')
        g_string_truncate (url, url->len - 1);
      g_string_append_printf (url, "/%s?", route);
      if (q != NULL && q[1] != '\0')
        g_string_append_printf (url, "%s&", q + 1);
      g_string_append (url, query);
    }

  return g_string_free (url, FALSE);
}

/* Pages */

typedef enum {
  STEP_REST,           /* kind known: plain page fetch */
  STEP_REST_PROBE,     /* first try at {url}/wp-json/ */
  STEP_REST_ANNOUNCED, /* the root the home page announced */
} RestStep;

typedef struct {
  guint      page;
  RestStep   step;
  char      *root;        /* the API root being tried */
  GError    *rest_error;  /* REST failed and the feed is being tried */
  GPtrArray *articles;    /* page 1, while the REST root tells the site's name */
  gboolean   refresh;     /* page 1 for a refresh: validators sent and kept */
  gboolean   conditional; /* this request carries the validators (page 1, kind known) */
  gboolean   paged;       /* the feed read page by page */
  DtxResponse *response;  /* what page 1 was parsed from: its validators are kept */
} PageOp;

static void
page_op_free (PageOp *op)
{
  g_free (op->root);
  g_clear_error (&op->rest_error);
  g_clear_pointer (&op->articles, g_ptr_array_unref);
  g_clear_pointer (&op->response, dtx_response_free);
  g_free (op);
}

static void
return_empty (GTask *task)
{
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_EMPTY,
                           _("There are no articles yet."));
}

static void
return_articles (GTask     *task,
                 GPtrArray *articles) /* owned */
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  /* Page 1 from where page 1 comes from next time (not a feed standing in
   * for REST): its validators make the next refresh conditional. */
  if (op->refresh && op->rest_error == NULL && op->response != NULL)
    dtx_source_keep_validators (self, op->response);
  dtx_source_name_articles (self, articles);
  g_task_return_pointer (task, articles, (GDestroyNotify)g_ptr_array_unref);
}

static void start_rest (GTask *task, const char *root, RestStep step);
static void start_home (GTask *task);
static void start_feed (GTask *task);
static void start_root (GTask *task);

/* When the feed stood in for a failing REST API, REST's failure is the
 * one to report. */
static void
return_feed_error (GTask  *task,
                   GError *error) /* owned */
{
  PageOp *op = g_task_get_task_data (task);

  if (op->rest_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("The feed did not stand in either: %s", error->message);
      g_error_free (error);
      g_task_return_error (task, g_steal_pointer (&op->rest_error));
    }
  else
    g_task_return_error (task, error);
}

/* REST failed (5xx, a timeout, a body that is not a list of posts): the
 * feed may still have the latest articles. */
static void
fall_back_to_feed (GTask  *task,
                   GError *error) /* owned */
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  g_message ("%s: REST failed (%s), trying the feed", dtx_source_get_url (self), error->message);
  g_clear_error (&op->rest_error);
  op->rest_error = error;
  op->conditional = FALSE;
  start_feed (task);
}

/* A known WordPress site whose REST API is closed: its feed, page by page. */
static void
close_rest (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  g_message ("%s: the REST API is closed; reading the feed page by page", dtx_source_get_url (self));
  WP (self)->rest_closed = TRUE;
  op->paged = TRUE;
  op->conditional = op->refresh;
  start_feed (task);
}

static void
feed_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxSourceParsed) parsed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  parsed = dtx_source_parse_finish (self, result, &error);
  if (parsed == NULL)
    {
      return_feed_error (task, g_steal_pointer (&error));
      return;
    }

  articles = parsed->articles;
  dtx_source_set_site_title (self, parsed->title);
  if (dtx_source_get_icon_url (self) == NULL)
    {
      g_autofree char *favicon = dtx_source_favicon_url (dtx_source_get_url (self));

      dtx_source_set_icon_url (self, parsed->icon_url ? parsed->icon_url : favicon);
    }
  g_clear_pointer (&op->response, dtx_response_free);
  op->response = g_steal_pointer (&parsed->response);

  if (op->paged)
    {
      /* Each page of the feed is newest first already; its order is kept
       * so pages join up. */
      DtxArticle *first = articles->len > 0 ? g_ptr_array_index (articles, 0) : NULL;

      dtx_source_set_from_feed (self, FALSE);
      if (first == NULL)
        {
          return_empty (task);
          return;
        }
      if (op->page == 1)
        {
          g_free (WP (self)->page1_first_link);
          WP (self)->page1_first_link = g_strdup (dtx_article_get_link (first));
        }
      else if (g_strcmp0 (WP (self)->page1_first_link, dtx_article_get_link (first)) == 0)
        {
          /* The server ignores ?paged=: page 1 again is no new page. */
          return_empty (task);
          return;
        }
      return_articles (task, g_steal_pointer (&parsed->articles));
      return;
    }

  /* In place of a failing REST API the feed stands in for this time only:
   * the next refresh asks REST again. */
  dtx_source_set_from_feed (self, op->rest_error != NULL);
  if (op->rest_error == NULL)
    dtx_source_set_kind (self, DTX_SOURCE_KIND_FEED);
  dtx_source_set_total_pages (self, 1);

  /* A feed is one page: the latest items only. */
  if (op->page > 1 || articles->len == 0)
    return_empty (task);
  else
    return_articles (task, g_steal_pointer (&parsed->articles));
}

static void
handle_feed_response (GTask       *task,
                      DtxResponse *response)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  /* WordPress answers 404 for a feed page past the last. */
  if (op->paged && op->page > 1 && response->status == SOUP_STATUS_NOT_FOUND)
    {
      return_empty (task);
      return;
    }

  if (!dtx_response_check_ok (response, &error))
    return_feed_error (task, error);
  else
    dtx_source_parse_async (self, dtx_response_copy (response),
                            op->paged ? DTX_SOURCE_PARSE_FEED_AS_LISTED : DTX_SOURCE_PARSE_FEED,
                            g_task_get_cancellable (task), feed_parsed, g_object_ref (task));
}

static void
feed_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DtxResponse) response = NULL;
  GError *error = NULL;

  response = dtx_source_get_finish (DTX_SOURCE (object), result, &error);
  if (response == NULL)
    return_feed_error (task, error);
  else
    handle_feed_response (task, response);
}

static void
start_feed (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  if (op->paged && op->page > 1)
    url = g_strdup_printf ("%s%cpaged=%u", WP (self)->feed_url,
                           strchr (WP (self)->feed_url, '?') ? '&' : '?', op->page);
  else
    url = g_strdup (WP (self)->feed_url);

  g_debug ("%s: reading the feed %s", dtx_source_get_url (self), url);
  dtx_source_get_async (self, url, op->conditional && op->page == 1,
                        g_task_get_cancellable (task), feed_cb, g_object_ref (task));
}

static gboolean
is_feed_type (const char *type)
{
  static const char * const types[] = {
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/rdf+xml", "text/xml", "application/xml",
  };

  if (type == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, types[i]))
      return TRUE;

  return FALSE;
}

static void
home_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autofree char *root = NULL;
  g_autofree char *type = NULL;
  const char *link;
  GError *error = NULL;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A broken server: its feed may still answer; if not, Retry. */
  if (response->status >= 500)
    {
      dtx_response_check_ok (response, &error);
      fall_back_to_feed (task, error);
      return;
    }

  /* The address the user gave serves a feed under a path we did not guess. */
  type = dtx_response_dup_content_type (response);
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status) &&
      is_feed_type (type))
    {
      g_free (WP (self)->feed_url);
      WP (self)->feed_url = g_strdup (response->uri);
      handle_feed_response (task, response);
      return;
    }

  /* Several Link headers arrive comma-joined; the parser reads such lists. */
  link = soup_message_headers_get_list (response->headers, "Link");
  root = dtx_wordpress_api_root_from_link_header (link);
  if (root == NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      gsize size;
      const char *html = g_bytes_get_data (response->body, &size);

      root = dtx_wordpress_api_root_from_html (html, dtx_source_html_head_length (html, size));
    }

  if (root != NULL && g_strcmp0 (root, op->root) != 0)
    start_rest (task, root, STEP_REST_ANNOUNCED);
  else
    start_feed (task);
}

static void
start_home (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  g_autofree char *home = g_strconcat (dtx_source_get_url (self), "/", NULL);

  dtx_source_get_async (self, home, FALSE, g_task_get_cancellable (task),
                        home_cb, g_object_ref (task));
}

static void
adopt_wordpress (DtxSource   *self,
                 const char  *root,
                 DtxResponse *response)
{
  const char *pages = soup_message_headers_get_one (response->headers, "X-WP-TotalPages");
  guint64 total;

  dtx_source_set_api_root (self, root);
  dtx_source_set_kind (self, DTX_SOURCE_KIND_WORDPRESS);

  if (pages != NULL && g_ascii_string_to_unsigned (pages, 10, 0, G_MAXUINT, &total, NULL))
    dtx_source_set_total_pages (self, (guint)total);
}

static void
rest_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxSourceParsed) parsed = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  parsed = dtx_source_parse_finish (self, result, &error);
  if (parsed == NULL)
    {
      if (op->page == 1 && g_error_matches (error, DTX_ERROR, DTX_ERROR_PARSE))
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  articles = parsed->articles;
  adopt_wordpress (self, op->root, parsed->response);
  g_clear_pointer (&op->response, dtx_response_free);
  op->response = g_steal_pointer (&parsed->response);
  if (op->page == 1)
    dtx_source_set_from_feed (self, FALSE);
  if (dtx_source_get_total_pages (self) < op->page && articles->len > 0)
    dtx_source_set_total_pages (self, op->page);

  if (articles->len == 0)
    return_empty (task);
  else if (!WP (self)->root_asked &&
           (dtx_source_get_site_title (self) == NULL || dtx_source_get_icon_url (self) == NULL))
    {
      /* Rows say the site's name, never a bare host: ask the root once. */
      op->articles = g_steal_pointer (&parsed->articles);
      start_root (task);
    }
  else
    return_articles (task, g_steal_pointer (&parsed->articles));
}

static void
rest_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  gboolean json;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL)
    {
      if (op->page == 1 && g_error_matches (error, DTX_ERROR, DTX_ERROR_TIMEOUT))
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  type = dtx_response_dup_content_type (response);
  json = is_json_type (type);

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      if (!json && !body_looks_like_json (response->body))
        {
          /* A theme's page where the API should be: look elsewhere. */
          if (op->step == STEP_REST_PROBE)
            start_home (task);
          else if (op->step == STEP_REST_ANNOUNCED)
            start_feed (task);
          else if (!WP (self)->probed)
            close_rest (task);
          else if (op->page == 1)
            fall_back_to_feed (task, g_error_new_literal (DTX_ERROR, DTX_ERROR_PARSE,
                                                          _("The site did not answer with articles. Try again later.")));
          else
            g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_PARSE,
                                     _("The site did not answer with articles. Try again later."));
          return;
        }

      dtx_source_parse_async (self, g_steal_pointer (&response), DTX_SOURCE_PARSE_POSTS,
                              g_task_get_cancellable (task), rest_parsed, g_object_ref (task));
      return;
    }

  /* WordPress answers 400 rest_post_invalid_page_number past the last page. */
  if (response->status == SOUP_STATUS_BAD_REQUEST && json && op->page > 1)
    {
      adopt_wordpress (self, op->root, response);
      return_empty (task);
      return;
    }

  /* A site known to be WordPress whose API now refuses visitors (401/403)
   * or is gone (404): its feed, page by page. */
  if (op->step == STEP_REST && !WP (self)->probed &&
      (response->status == SOUP_STATUS_UNAUTHORIZED ||
       response->status == SOUP_STATUS_FORBIDDEN ||
       response->status == SOUP_STATUS_NOT_FOUND))
    {
      close_rest (task);
      return;
    }

  if (response->status >= 500 || op->step == STEP_REST)
    {
      dtx_response_check_ok (response, &error);
      if (op->page == 1 && response->status >= 500)
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* 401/403: the API is closed to visitors, the feed is not. */
  if (response->status == SOUP_STATUS_UNAUTHORIZED ||
      response->status == SOUP_STATUS_FORBIDDEN ||
      op->step == STEP_REST_ANNOUNCED)
    start_feed (task);
  else
    start_home (task);
}

static void
root_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize size;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Without a name the host stands in; the articles are what matters. */
  if (response != NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status) &&
      (data = g_bytes_get_data (response->body, &size)) != NULL && size < G_MAXSSIZE &&
      json_parser_load_from_data (parser, data, (gssize)size, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      JsonObject *root_object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      const char *name = dtx_json_nonempty_string_member (root_object, "name");
      const char *icon = dtx_json_nonempty_string_member (root_object, "site_icon_url");
      g_autofree char *plain = name ? g_strstrip (g_strdup (name)) : NULL;
      g_autoptr(GUri) icon_uri = dtx_uri_parse_http (icon);

      if (plain != NULL && *plain != '\0' && g_utf8_validate (plain, -1, NULL))
        dtx_source_set_site_title (self, plain);
      if (icon_uri != NULL && dtx_source_get_icon_url (self) == NULL)
        dtx_source_set_icon_url (self, icon);
    }
  else
    g_debug ("%s: no site name from the REST root", dtx_source_get_url (self));

  /* No site icon set in WordPress: the browser's guess. */
  if (dtx_source_get_icon_url (self) == NULL)
    {
      g_autofree char *favicon = dtx_source_favicon_url (dtx_source_get_url (self));

      dtx_source_set_icon_url (self, favicon);
    }

  for (guint i = 0; i < op->articles->len; i++)
    dtx_article_set_source_name (g_ptr_array_index (op->articles, i), dtx_source_get_title (self));
  return_articles (task, g_steal_pointer (&op->articles));
}

static void
start_root (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  WP (self)->root_asked = TRUE;
  dtx_source_get_async (self, op->root, FALSE, g_task_get_cancellable (task),
                        root_cb, g_object_ref (task));
}

static void
start_rest (GTask      *task,
            const char *root,
            RestStep    step)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autofree char *posts_url = NULL;

  if (op->root != root)
    {
      g_free (op->root);
      op->root = g_strdup (root);
    }
  op->step = step;
  op->conditional = step == STEP_REST && op->refresh;

  posts_url = dtx_wordpress_posts_url (root, op->page, NULL);
  g_debug ("%s: page %u from %s", dtx_source_get_url (self), op->page, posts_url);
  dtx_source_get_async (self, posts_url, op->conditional,
                        g_task_get_cancellable (task), rest_cb, g_object_ref (task));
}

static void
dtx_wordpress_source_fetch_page_async (DtxSource           *self,
                                       guint                page,
                                       gboolean             refresh,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PageOp *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_fetch_page_async);

  op = g_new0 (PageOp, 1);
  op->page = page;
  op->refresh = refresh;
  g_task_set_task_data (task, op, (GDestroyNotify)page_op_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (dtx_source_get_kind (self))
    {
    case DTX_SOURCE_KIND_WORDPRESS:
      if (WP (self)->rest_closed)
        {
          op->paged = TRUE;
          op->conditional = refresh;
          start_feed (task);
        }
      else
        start_rest (task, dtx_source_get_api_root (self), STEP_REST);
      break;

    case DTX_SOURCE_KIND_FEED:
      if (page > 1)
        return_empty (task);
      else
        {
          op->conditional = refresh;
          start_feed (task);
        }
      break;

    case DTX_SOURCE_KIND_UNKNOWN:
    default:
      if (dtx_source_url_is_feed (dtx_source_get_url (self)))
        {
          start_feed (task);
        }
      else
        {
          g_autofree char *root = g_strconcat (dtx_source_get_url (self), "/wp-json/", NULL);

          start_rest (task, root, STEP_REST_PROBE);
        }
      break;
    }
}

static GPtrArray *
dtx_wordpress_source_fetch_page_finish (DtxSource     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Single article */

static void
return_not_found (GTask      *task,
                  const char *url)
{
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                           _("No article was found at %s."), url);
}

/* article (NULL: none was found), named after the source if it is not. */
static void
return_article (GTask      *task,
                DtxArticle *article)
{
  DtxSource *self = g_task_get_source_object (task);
  const char *name;

  if (article == NULL)
    {
      return_not_found (task, g_task_get_task_data (task));
      return;
    }

  name = dtx_article_get_source_name (article);
  if (name == NULL || *name == '\0')
    dtx_article_set_source_name (article, dtx_source_get_title (self));
  g_task_return_pointer (task, g_object_ref (article), g_object_unref);
}

static void
return_matching (GTask     *task,
                 GPtrArray *articles)
{
  return_article (task, dtx_source_find_article (articles, g_task_get_task_data (task)));
}

/* One article, by its slug or from the feed: parsed in the worker thread
 * as pages are, since a post may be megabytes of markup. */
static void
slug_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DtxSourceParsed) parsed = NULL;
  g_autoptr(GError) error = NULL;

  parsed = dtx_source_parse_finish (DTX_SOURCE (object), result, &error);
  if (parsed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    return_article (task, parsed->articles->len > 0 ? g_ptr_array_index (parsed->articles, 0) : NULL);
}

static void
article_feed_parsed (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DtxSourceParsed) parsed = NULL;
  g_autoptr(GError) error = NULL;

  parsed = dtx_source_parse_finish (DTX_SOURCE (object), result, &error);
  if (parsed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    return_matching (task, parsed->articles);
}

/* The answer to a request for one article, handed to the worker thread to
 * parse as kind, then to callback. Takes task. */
static void
parse_article (DtxSource           *self,
               GAsyncResult        *result,
               GTask               *task,
               DtxSourceParseKind   kind,
               GAsyncReadyCallback  callback)
{
  DtxResponse *response;
  GError *error = NULL;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_clear_pointer (&response, dtx_response_free);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  dtx_source_parse_async (self, response, kind, g_task_get_cancellable (task), callback, task);
}

static void
slug_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  parse_article (DTX_SOURCE (object), result, user_data, DTX_SOURCE_PARSE_POSTS, slug_parsed);
}

static void
article_feed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  parse_article (DTX_SOURCE (object), result, user_data, DTX_SOURCE_PARSE_FEED_AS_LISTED,
                 article_feed_parsed);
}

static void
lookup_article (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);

  if (dtx_source_get_kind (self) == DTX_SOURCE_KIND_WORDPRESS && !WP (self)->rest_closed)
    {
      g_autofree char *slug = last_path_segment (url);
      g_autofree char *posts_url = NULL;

      if (slug == NULL)
        {
          return_not_found (task, url);
          return;
        }

      posts_url = dtx_wordpress_posts_url (dtx_source_get_api_root (self), 1, slug);
      dtx_source_get_async (self, posts_url, FALSE, g_task_get_cancellable (task),
                            slug_cb, g_object_ref (task));
    }
  else
    {
      dtx_source_get_async (self, WP (self)->feed_url, FALSE, g_task_get_cancellable (task),
                            article_feed_cb, g_object_ref (task));
    }
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = dtx_source_fetch_page_finish (self, result, &error);
  if (articles == NULL && !g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The probe already read the whole feed: no second request. */
  if (dtx_source_get_kind (self) == DTX_SOURCE_KIND_FEED)
    return_matching (task, articles);
  else
    lookup_article (task);
}

static void
dtx_wordpress_source_fetch_article_async (DtxSource           *self,
                                          const char          *url,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_fetch_article_async);
  g_task_set_task_data (task, g_strdup (url), g_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!dtx_source_owns_url (self, url))
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                               _("%s is not an article of %s."), url, dtx_source_get_title (self));
      return;
    }

  if (dtx_source_get_kind (self) == DTX_SOURCE_KIND_UNKNOWN)
    dtx_source_fetch_page_async (self, 1, cancellable, probe_cb, g_steal_pointer (&task));
  else
    lookup_article (task);
}

static DtxArticle *
dtx_wordpress_source_fetch_article_finish (DtxSource     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Site search */

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  articles = dtx_wordpress_parse_posts (response->body, dtx_source_get_title (self), &error);
  if (articles == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (articles->len == 0)
    return_empty (task);
  else
    g_task_return_pointer (task, g_steal_pointer (&articles), (GDestroyNotify)g_ptr_array_unref);
}

static void
dtx_wordpress_source_search_async (DtxSource           *self,
                                   const char          *text,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *posts_url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_search_async);

  if (dtx_source_get_kind (self) != DTX_SOURCE_KIND_WORDPRESS ||
      dtx_source_get_api_root (self) == NULL || WP (self)->rest_closed)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                               _("This site cannot be searched from the app."));
      return;
    }

  posts_url = dtx_wordpress_posts_url (dtx_source_get_api_root (self), 1, NULL);
  escaped = g_uri_escape_string (text, NULL, FALSE);
  url = g_strconcat (posts_url, "&search=", escaped, NULL);
  dtx_source_get_async (self, url, FALSE, cancellable, search_cb, g_steal_pointer (&task));
}

static GPtrArray *
dtx_wordpress_source_search_finish (DtxSource     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Categories */

static GPtrArray *
new_category_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_category_free);
}

static GPtrArray *
parse_categories (GBytes  *body,
                  GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) categories = new_category_array ();
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;
  JsonArray *array;

  if (data == NULL || size >= G_MAXSSIZE ||
      !json_parser_load_from_data (parser, data, (gssize)size, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_message ("Categories are not a JSON list: %s", local_error ? local_error->message : "wrong shape");
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site’s categories could not be read."));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *id_node, *count_node;
      g_autofree char *name = NULL;
      const char *slug;
      gint64 id, count = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id_node = json_object_get_member (object, "id");
      count_node = json_object_get_member (object, "count");
      if (id_node == NULL || json_node_get_value_type (id_node) != G_TYPE_INT64)
        continue;
      id = json_node_get_int (id_node);
      if (count_node != NULL && json_node_get_value_type (count_node) == G_TYPE_INT64)
        count = json_node_get_int (count_node);
      /* Names come HTML-escaped ("Gadget &amp; Gawai"). */
      name = dtx_sanitizer_to_text (dtx_json_string_member (object, "name"));
      slug = dtx_json_string_member (object, "slug");
      if (*name == '\0' || count <= 0)
        continue;
      g_ptr_array_add (categories, dtx_category_new (id, name, slug, (guint)MIN (count, G_MAXUINT)));
    }

  return g_steal_pointer (&categories);
}

static void
categories_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  g_autoptr(DtxResponse) response = NULL;
  GPtrArray *categories;
  GError *error = NULL;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A closed API or a site without categories: no filters, not a failure. */
  if (response->status == SOUP_STATUS_UNAUTHORIZED ||
      response->status == SOUP_STATUS_FORBIDDEN ||
      response->status == SOUP_STATUS_NOT_FOUND)
    {
      g_message ("%s answered %u for the categories", response->uri, response->status);
      g_task_return_pointer (task, new_category_array (), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  if (!dtx_response_check_ok (response, &error) ||
      (categories = parse_categories (response->body, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, categories, (GDestroyNotify)g_ptr_array_unref);
}

static void
dtx_wordpress_source_fetch_categories_async (DtxSource           *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *root = dtx_source_get_api_root (self);
  g_autofree char *url = NULL;

  g_task_set_source_tag (task, dtx_source_fetch_categories_async);

  /* Only a site whose REST API answered has categories to ask for. */
  if (dtx_source_get_kind (self) != DTX_SOURCE_KIND_WORDPRESS || root == NULL ||
      WP (self)->rest_closed)
    {
      g_task_return_pointer (task, new_category_array (), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  url = rest_url (root, "wp/v2/categories", CATEGORIES_QUERY);
  dtx_source_get_async (self, url, FALSE, cancellable, categories_cb, g_steal_pointer (&task));
}

static GPtrArray *
dtx_wordpress_source_fetch_categories_finish (DtxSource     *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object */

static void
dtx_wordpress_source_constructed (GObject *object)
{
  DtxWordpressSource *self = DTX_WORDPRESS_SOURCE (object);
  const char *url;

  G_OBJECT_CLASS (dtx_wordpress_source_parent_class)->constructed (object);

  url = dtx_source_get_url (DTX_SOURCE (self));
  self->probed = dtx_source_get_kind (DTX_SOURCE (self)) == DTX_SOURCE_KIND_UNKNOWN;
  if (dtx_source_url_is_feed (url))
    self->feed_url = g_strdup (url);
  else
    self->feed_url = g_strconcat (url, "/feed/", NULL);
}

static void
dtx_wordpress_source_finalize (GObject *object)
{
  DtxWordpressSource *self = DTX_WORDPRESS_SOURCE (object);

  g_free (self->feed_url);
  g_free (self->page1_first_link);

  G_OBJECT_CLASS (dtx_wordpress_source_parent_class)->finalize (object);
}

static void
dtx_wordpress_source_class_init (DtxWordpressSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DtxSourceClass *source_class = DTX_SOURCE_CLASS (klass);

  object_class->constructed = dtx_wordpress_source_constructed;
  object_class->finalize = dtx_wordpress_source_finalize;

  source_class->fetch_page_async = dtx_wordpress_source_fetch_page_async;
  source_class->fetch_page_finish = dtx_wordpress_source_fetch_page_finish;
  source_class->fetch_article_async = dtx_wordpress_source_fetch_article_async;
  source_class->fetch_article_finish = dtx_wordpress_source_fetch_article_finish;
  source_class->search_async = dtx_wordpress_source_search_async;
  source_class->search_finish = dtx_wordpress_source_search_finish;
  source_class->fetch_categories_async = dtx_wordpress_source_fetch_categories_async;
  source_class->fetch_categories_finish = dtx_wordpress_source_fetch_categories_finish;
}

static void
dtx_wordpress_source_init (DtxWordpressSource *self)
{
}
