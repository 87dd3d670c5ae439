/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed-source"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-uri.h"
#include "dtx-feed.h"
#include "dtx-html.h"
#include "dtx-json.h"
#include "dtx-feed-source.h"
#include "dtx-source-private.h"
#include "dtx-source-discovery-private.h"

/* The channel's image comes before the first entry; a prefix this long
 * holds it in any real feed. */
#define ICON_SCAN_LIMIT (64 * 1024)

struct _DtxFeedSource
{
  DtxSource  parent_instance;

  /* Where the feed is read from when the source's address turned out to be
   * a page announcing it; NULL: the address itself. */
  char      *feed_url;
};

G_DEFINE_FINAL_TYPE (DtxFeedSource, dtx_feed_source, DTX_TYPE_SOURCE)

/* Feed icon */

static char *
resolve_web_url (const char *base_uri,
                 const char *href)
{
  g_autofree char *resolved = dtx_uri_resolve (base_uri, href);
  g_autoptr(GUri) uri = NULL;

  uri = dtx_uri_parse_http (resolved);
  return uri ? g_uri_to_string (uri) : NULL;
}

static gboolean
is_named (xmlNode    *node,
          const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *)node->name, name) == 0;
}

static char *
node_text (xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup ((const char *)content);

  xmlFree (content);
  return text;
}

/* RSS 2.0 <channel><image><url>, RSS 1.0 <image><url>, Atom <icon> (square,
 * what a sidebar wants) before <logo>. */
static char *
icon_from_xml (const char *data,
               gsize       size,
               const char *base_uri)
{
  g_autofree char *prefix = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *logo = NULL;
  const char *cut;
  g_autofree char *utf8 = NULL;
  gsize utf8_len;
  xmlDoc *doc;
  xmlNode *root;
  gsize len = MIN (size, ICON_SCAN_LIMIT);

  /* Only the head of the feed: entries may hold images of their own. */
  prefix = g_strndup (data, len);
  if ((cut = strstr (prefix, "<item")) != NULL || (cut = strstr (prefix, "<entry")) != NULL)
    len = cut - prefix;

  utf8 = dtx_xml_prepare (prefix, len, NULL, &utf8_len);
  doc = dtx_xml_read (utf8, utf8_len, base_uri, NULL, NULL);
  if (doc == NULL)
    return NULL;

  root = xmlDocGetRootElement (doc);
  for (xmlNode *level = root ? root->children : NULL, *parent = root; parent != NULL;)
    {
      xmlNode *channel = NULL;

      for (xmlNode *node = level; node != NULL; node = node->next)
        {
          if (node->type != XML_ELEMENT_NODE)
            continue;
          if (is_named (node, "channel"))
            channel = node;
          else if (is_named (node, "icon") && icon == NULL)
            icon = node_text (node);
          else if (is_named (node, "logo") && logo == NULL)
            logo = node_text (node);
          else if (is_named (node, "image") && icon == NULL)
            {
              for (xmlNode *child = node->children; child != NULL; child = child->next)
                if (is_named (child, "url"))
                  {
                    icon = node_text (child);
                    break;
                  }
            }
        }

      /* RSS 2.0 keeps its image inside <channel>; RSS 1.0 beside it. */
      parent = channel;
      level = channel ? channel->children : NULL;
    }

  xmlFreeDoc (doc);
  return resolve_web_url (base_uri, icon ? icon : logo);
}

static char *
icon_from_json (const char *data,
                gsize       size,
                const char *base_uri)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *icon;

  if (size >= G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize)size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  /* "favicon" is the small one the spec means for lists like a sidebar;
   * "icon" (512 px) when there is no favicon. */
  icon = dtx_json_nonempty_string_member (object, "favicon");
  if (icon == NULL)
    icon = dtx_json_nonempty_string_member (object, "icon");
  return resolve_web_url (base_uri, icon);
}

char *
dtx_source_feed_icon (GBytes     *data,
                      const char *base_uri)
{
  gsize size;
  const char *bytes;

  if (data == NULL)
    return NULL;

  bytes = g_bytes_get_data (data, &size);
  for (gsize i = 0; i < size; i++)
    {
      if (g_ascii_isspace (bytes[i]))
        continue;
      if (bytes[i] == '{')
        return icon_from_json (bytes + i, size - i, base_uri);
      break;
    }

  return size > 0 ? icon_from_xml (bytes, size, base_uri) : NULL;
}

/* Pages */

typedef struct {
  guint        page;
  char        *url;      /* fetch_article: the article asked for */
  gboolean     followed; /* the page's announced feed is being read */
  gboolean     refresh;  /* page 1 for a refresh: validators sent and kept */
} FeedOp;

static void
feed_op_free (FeedOp *op)
{
  g_free (op->url);
  g_free (op);
}

static void
feed_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  FeedOp *op = g_task_get_task_data (task);
  g_autoptr(DtxSourceParsed) parsed = NULL;
  g_autoptr(GError) error = NULL;

  parsed = dtx_source_parse_finish (self, result, &error);
  if (parsed == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  dtx_source_set_site_title (self, parsed->title);
  dtx_source_set_kind (self, DTX_SOURCE_KIND_FEED);
  dtx_source_set_total_pages (self, 1);
  if (dtx_source_get_icon_url (self) == NULL)
    {
      g_autofree char *favicon = dtx_source_favicon_url (parsed->response->uri);

      dtx_source_set_icon_url (self, parsed->icon_url ? parsed->icon_url : favicon);
    }

  dtx_source_name_articles (self, parsed->articles);

  if (op->url != NULL)
    {
      DtxArticle *article = dtx_source_find_article (parsed->articles, op->url);

      if (article == NULL)
        g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                                 _("No article was found at %s."), op->url);
      else
        g_task_return_pointer (task, g_object_ref (article), g_object_unref);
      return;
    }

  /* The validators belong to what was read, so only after it parsed. */
  if (op->refresh)
    dtx_source_keep_validators (self, parsed->response);
  if (parsed->articles->len == 0)
    g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_EMPTY,
                             _("There are no articles yet."));
  else
    g_task_return_pointer (task, g_steal_pointer (&parsed->articles),
                           (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
is_html (DtxResponse *response)
{
  g_autofree char *type = dtx_response_dup_content_type (response);

  return g_strcmp0 (type, "text/html") == 0 || g_strcmp0 (type, "application/xhtml+xml") == 0;
}

static void
feed_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  FeedOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  GError *error = NULL;

  response = dtx_source_get_finish (self, result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A page where the feed should be: a site's address kept as a feed (a
   * WordPress site whose REST API is closed is stored so), or a feed that
   * moved and left its page behind. The feed it announces stands in. */
  if (!op->followed && is_html (response))
    {
      gsize size;
      const char *html = g_bytes_get_data (response->body, &size);
      g_autoptr(GPtrArray) feeds = dtx_source_discovery_feeds_from_html (html, size, response->uri);

      if (feeds->len > 0)
        {
          DtxFeedSource *feed_source = DTX_FEED_SOURCE (self);
          GCancellable *cancellable = g_task_get_cancellable (task);

          g_message ("%s is a page; reading the feed it announces, %s",
                     dtx_source_get_url (self), (const char *)g_ptr_array_index (feeds, 0));
          g_free (feed_source->feed_url);
          feed_source->feed_url = g_strdup (g_ptr_array_index (feeds, 0));
          op->followed = TRUE;
          dtx_source_get_async (self, feed_source->feed_url, op->refresh, cancellable,
                                feed_cb, g_steal_pointer (&task));
          return;
        }
    }

  dtx_source_parse_async (self, g_steal_pointer (&response), DTX_SOURCE_PARSE_FEED,
                          g_task_get_cancellable (task), feed_parsed, g_object_ref (task));
}

static const char *
feed_url_of (DtxSource *self)
{
  DtxFeedSource *feed_source = DTX_FEED_SOURCE (self);

  return feed_source->feed_url ? feed_source->feed_url : dtx_source_get_url (self);
}

static void
dtx_feed_source_fetch_page_async (DtxSource           *self,
                                  guint                page,
                                  gboolean             refresh,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  FeedOp *op = g_new0 (FeedOp, 1);

  g_task_set_source_tag (task, dtx_source_fetch_page_async);
  op->page = page;
  op->refresh = refresh;
  g_task_set_task_data (task, op, (GDestroyNotify)feed_op_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A feed is one page: the latest items only. */
  if (page > 1)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_EMPTY,
                               _("There are no articles yet."));
      return;
    }

  dtx_source_get_async (self, feed_url_of (self), refresh, cancellable,
                        feed_cb, g_steal_pointer (&task));
}

static GPtrArray *
dtx_feed_source_fetch_page_finish (DtxSource     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dtx_feed_source_fetch_article_async (DtxSource           *self,
                                     const char          *url,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  FeedOp *op = g_new0 (FeedOp, 1);

  g_task_set_source_tag (task, dtx_source_fetch_article_async);
  op->page = 1;
  op->url = g_strdup (url);
  g_task_set_task_data (task, op, (GDestroyNotify)feed_op_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Not conditional: a 304 would leave nothing to look in. */
  dtx_source_get_async (self, feed_url_of (self), FALSE, cancellable,
                        feed_cb, g_steal_pointer (&task));
}

static DtxArticle *
dtx_feed_source_fetch_article_finish (DtxSource     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dtx_feed_source_finalize (GObject *object)
{
  DtxFeedSource *self = DTX_FEED_SOURCE (object);

  g_free (self->feed_url);

  G_OBJECT_CLASS (dtx_feed_source_parent_class)->finalize (object);
}

static void
dtx_feed_source_class_init (DtxFeedSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  DtxSourceClass *source_class = DTX_SOURCE_CLASS (klass);

  object_class->finalize = dtx_feed_source_finalize;

  source_class->fetch_page_async = dtx_feed_source_fetch_page_async;
  source_class->fetch_page_finish = dtx_feed_source_fetch_page_finish;
  source_class->fetch_article_async = dtx_feed_source_fetch_article_async;
  source_class->fetch_article_finish = dtx_feed_source_fetch_article_finish;
}

static void
dtx_feed_source_init (DtxFeedSource *self)
{
}
