/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-feed.h"
#include "dtx-feed-private.h"
#include "dtx-html.h"

/* The entry point: which format, which encoding, and the XML reader. The
 * formats live in dtx-feed-rss.c, dtx-feed-atom.c and dtx-feed-json.c. */

/* Whether the document closes its root element: one that stops short was
 * cut off in transit, and its last entry would be stored cut short. */
static gboolean
closes_root (const char *data,
             gsize       length,
             xmlNode    *root)
{
  g_autofree char *end_tag = NULL;
  gsize tail = MIN (length, 4096);

  if (root->ns != NULL && root->ns->prefix != NULL)
    end_tag = g_strdup_printf ("</%s:%s", root->ns->prefix, root->name);
  else
    end_tag = g_strdup_printf ("</%s", root->name);
  return g_strstr_len (data + length - tail, tail, end_tag) != NULL;
}

/* Entries read as the document streams in: each item or entry is turned
 * into an article as soon as it ends and its subtree freed. */
typedef struct {
  const char *base_uri;
  GPtrArray  *articles;
  GArray     *authorless; /* Atom entries waiting for the feed's author */
  gsize       entity_budget;
  /* Feed-level values as they go by: looking them up for each entry would
   * walk the feed's children again and again (quadratic). */
  char       *channel_link;
  char       *feed_author;
  gboolean    seen_author;
} Stream;

static gboolean
stream_element_done (xmlNode  *node,
                     gpointer  data)
{
  Stream *stream = data;
  xmlNode *parent = node->parent;
  xmlNode *root = node->doc ? xmlDocGetRootElement (node->doc) : NULL;
  g_auto(DtxFeedEntry) entry = { 0 };
  guint before = stream->articles->len;

  if (root == NULL || parent == NULL || parent->type != XML_ELEMENT_NODE)
    return FALSE;
  /* What declared entities may add to the text, at most (see
   * dtx-feed-entry.c): the document's own size. */
  node->doc->_private = &stream->entity_budget;

  if (parent == root && !stream->seen_author && dtx_feed_is_atom (node, "author"))
    {
      stream->seen_author = TRUE;
      stream->feed_author = dtx_feed_atom_author_name (node);
      return FALSE;
    }
  if (stream->channel_link == NULL && dtx_feed_is_rss (node, "link") &&
      dtx_feed_is_rss (parent, "channel") && parent->parent == root)
    {
      stream->channel_link = dtx_feed_node_text (node);
      return FALSE;
    }

  if (dtx_feed_is_rss (node, "item") &&
      (dtx_feed_is_element (root, NULL, "rss") || dtx_feed_is_rss (root, "rss") ||
       dtx_feed_is_element (root, DTX_NS_RDF, "RDF")) &&
      (parent == root || (dtx_feed_is_rss (parent, "channel") && parent->parent == root)))
    {
      g_autofree char *feed_base = dtx_feed_rss_base_from (stream->base_uri, stream->channel_link);

      dtx_feed_rss_item (node, feed_base, &entry);
      dtx_feed_entry_finish (&entry, stream->articles);
      return TRUE;
    }

  if (dtx_feed_is_atom (node, "entry") && parent == root && dtx_feed_is_atom (root, "feed"))
    {
      /* The feed's author usually comes first; one that comes after its
       * entries is filled in at the end. */
      dtx_feed_atom_entry (node, stream->base_uri, stream->feed_author, &entry);
      dtx_feed_entry_finish (&entry, stream->articles);
      if (stream->articles->len > before &&
          dtx_article_get_author (g_ptr_array_index (stream->articles, before)) == NULL)
        g_array_append_val (stream->authorless, before);
      return TRUE;
    }

  return FALSE;
}

static GPtrArray *
read_feed (xmlDocPtr    doc,
           Stream      *stream,
           gboolean     well_formed,
           char       **title_out,
           GError     **error)
{
  xmlNode *root = doc ? xmlDocGetRootElement (doc) : NULL;
  const char *base_uri = stream->base_uri;
  g_autoptr(GPtrArray) rest = NULL;
  GPtrArray *articles;

  if (doc != NULL)
    doc->_private = &stream->entity_budget;

  if (root != NULL && (dtx_feed_is_element (root, NULL, "rss") || dtx_feed_is_rss (root, "rss") ||
                       dtx_feed_is_element (root, DTX_NS_RDF, "RDF")))
    rest = dtx_feed_parse_rss (root, base_uri, title_out);
  else if (root != NULL && dtx_feed_is_atom (root, "feed"))
    {
      g_autofree char *feed_author = dtx_feed_atom_person_name (root);

      rest = dtx_feed_parse_atom (root, base_uri, title_out);
      for (guint i = 0; feed_author != NULL && i < stream->authorless->len; i++)
        dtx_article_set_author (g_ptr_array_index (stream->articles,
                                                   g_array_index (stream->authorless, guint, i)),
                                feed_author);
    }
  else
    {
      if (root != NULL && well_formed)
        {
          g_message ("%s: not a feed, the root element is <%s>", base_uri ? base_uri : "document",
                     (const char *) root->name);
          g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                               _("This address does not lead to a news site or a feed."));
        }
      return NULL;
    }

  articles = g_ptr_array_ref (stream->articles);
  for (guint i = 0; i < rest->len; i++)
    g_ptr_array_add (articles, g_object_ref (g_ptr_array_index (rest, i)));
  return articles;
}

static void
stream_reset (Stream *stream)
{
  g_ptr_array_set_size (stream->articles, 0);
  g_array_set_size (stream->authorless, 0);
  g_clear_pointer (&stream->channel_link, g_free);
  g_clear_pointer (&stream->feed_author, g_free);
  stream->seen_author = FALSE;
}

static GPtrArray *
parse_xml (const char  *data,
           gsize        length,
           const char  *base_uri,
           const char  *content_type,
           char       **title_out,
           GError     **error)
{
  g_autofree char *charset = dtx_content_type_charset (content_type);
  g_autofree char *utf8 = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) streamed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) authorless = g_array_new (FALSE, FALSE, sizeof (guint));
  Stream stream = { base_uri, streamed, authorless, length };
  gboolean well_formed = FALSE;
  gsize utf8_length = 0;
  xmlDocPtr doc = NULL;
  xmlNode *root;
  GPtrArray *articles = NULL;

  if (length > G_MAXINT / 2)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("The feed is too large to read"));
      return NULL;
    }

  /* Most feeds are well-formed UTF-8: read strictly as they are first.
   * Anything else, or a first error, and the document is mended and read
   * again in recover mode. */
  if (dtx_xml_is_plain_utf8 (data, length, charset))
    {
      doc = dtx_xml_read_streaming (data, length, base_uri, FALSE, stream_element_done, &stream,
                                    &well_formed, NULL);
      if (!well_formed)
        {
          g_clear_pointer (&doc, xmlFreeDoc);
          stream_reset (&stream);
        }
    }

  if (doc == NULL)
    {
      utf8 = dtx_xml_prepare (data, length, charset, &utf8_length);
      stream.entity_budget = utf8_length;
      doc = dtx_xml_read_streaming (utf8, utf8_length, base_uri, TRUE, stream_element_done, &stream,
                                    &well_formed, &message);
      root = doc ? xmlDocGetRootElement (doc) : NULL;
      if (root != NULL && !well_formed && !closes_root (utf8, utf8_length, root))
        {
          g_message ("%s: the document stops before its end: %s", base_uri ? base_uri : "feed",
                     message ? message : "");
          g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                               _("The site’s feed is damaged and could not be read."));
          xmlFreeDoc (doc);
          stream_reset (&stream);
          return NULL;
        }
    }
  root = doc ? xmlDocGetRootElement (doc) : NULL;

  articles = read_feed (doc, &stream, well_formed, title_out, error);

  if (message != NULL)
    /* The parser's words go to the log, the user gets a sentence. */
    g_message ("%s: not well-formed XML%s: %s", base_uri ? base_uri : "feed",
               articles != NULL && articles->len > 0 ? ", recovered" : "", message);

  /* A damaged document that yields nothing is an error; one that yields
   * entries is read as far as it goes. */
  if (articles == NULL && (error == NULL || *error == NULL))
    {
      if (root != NULL && !well_formed && !dtx_feed_is_element (root, NULL, "html"))
        g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                             _("The site’s feed is damaged and could not be read."));
      else if (root != NULL)
        g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                             _("This address does not lead to a news site or a feed."));
      else
        g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                             _("The site’s feed is damaged and could not be read."));
    }
  else if (articles != NULL && articles->len == 0 && !well_formed)
    {
      g_clear_pointer (&articles, g_ptr_array_unref);
      if (title_out != NULL)
        g_clear_pointer (title_out, g_free);
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site’s feed is damaged and could not be read."));
    }

  g_clear_pointer (&doc, xmlFreeDoc);
  g_clear_pointer (&stream.channel_link, g_free);
  g_clear_pointer (&stream.feed_author, g_free);
  return articles;
}

GPtrArray *
dtx_feed_parse_full (GBytes      *data,
                     const char  *base_uri,
                     const char  *content_type,
                     char       **title_out,
                     GError     **error)
{
  const char *bytes;
  const char *p;
  gsize length = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (title_out != NULL)
    *title_out = NULL;

  bytes = g_bytes_get_data (data, &length);
  if (bytes == NULL || length == 0)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("The feed is empty"));
      return NULL;
    }

  /* JSON Feed or XML? Look past a BOM and white space. */
  p = bytes;
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < bytes + length && g_ascii_isspace (*p))
    p++;

  if (p < bytes + length && *p == '{')
    return dtx_feed_parse_json (p, length - (p - bytes), base_uri, title_out, error);

  return parse_xml (bytes, length, base_uri, content_type, title_out, error);
}

GPtrArray *
dtx_feed_parse (GBytes      *data,
                const char  *base_uri,
                char       **title_out,
                GError     **error)
{
  return dtx_feed_parse_full (data, base_uri, NULL, title_out, error);
}
