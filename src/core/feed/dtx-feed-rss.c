/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <string.h>

#include "dtx-date.h"
#include "dtx-feed-private.h"
#include "dtx-uri.h"

/* RSS 0.9x and 2.0 (also in the old Userland namespace), and RSS 1.0 /
 * 0.90 (RDF), with the modules feeds use: content, Dublin Core, Media RSS,
 * iTunes, Atom links. */

static gboolean
looks_like_image (const char *url)
{
  static const char * const extensions[] = { ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif" };
  g_autofree char *path = NULL;

  if (url == NULL)
    return FALSE;
  path = g_ascii_strdown (url, strcspn (url, "?#"));
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (path, extensions[i]))
      return TRUE;
  return FALSE;
}

void
dtx_feed_rss_item (xmlNode      *item,
            const char   *feed_base,
            DtxFeedEntry *entry)
{
  g_autofree char *base = dtx_feed_node_base (item, feed_base);
  g_autofree char *description = NULL;
  g_autofree char *summary = NULL;     /* itunes:summary, itunes:subtitle */
  g_autofree char *dc_title = NULL;
  g_autofree char *pub_date = NULL;
  g_autofree char *dc_date = NULL;
  g_autofree char *rss_author = NULL;
  g_autofree char *itunes_author = NULL;
  g_autofree char *enclosure = NULL;
  g_autofree char *itunes_image = NULL;
  g_autofree char *item_image = NULL;
  g_autofree char *guid = NULL;
  xmlNode *content_node = NULL;
  xmlNode *description_node = NULL;
  gboolean guid_is_link = TRUE;

  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (dtx_feed_is_rss (child, "title") && entry->title == NULL)
        {
          /* RSS titles are, in practice, HTML-escaped text. */
          g_autofree char *text = dtx_feed_node_html (child);
          entry->title = dtx_feed_html_to_text (text);
        }
      else if (dtx_feed_is_element (child, DTX_NS_DC, "title") && dc_title == NULL)
        {
          g_autofree char *text = dtx_feed_node_html (child);
          dc_title = dtx_feed_html_to_text (text);
        }
      else if (dtx_feed_is_rss (child, "link") && entry->link == NULL)
        entry->link = dtx_feed_node_text (child);
      else if (dtx_feed_is_rss (child, "guid") && guid == NULL)
        {
          g_autofree char *permalink = dtx_feed_node_attr (child, "isPermaLink");
          guid = dtx_feed_node_text (child);
          guid_is_link = permalink == NULL || g_ascii_strcasecmp (permalink, "false") != 0;
        }
      else if ((dtx_feed_is_rss (child, "description") ||
                (dtx_feed_is_element (child, DTX_NS_DC, "description") && description_node == NULL)) &&
               description == NULL)
        {
          description = dtx_feed_node_html (child);
          description_node = child;
        }
      else if ((dtx_feed_is_element (child, DTX_NS_CONTENT, "encoded") ||
                dtx_feed_is_rss (child, "fullitem") || dtx_feed_is_rss (child, "summary")) &&
               entry->content == NULL)
        {
          entry->content = dtx_feed_node_html (child);
          content_node = child;
        }
      else if (dtx_feed_is_element (child, DTX_NS_XHTML, "body") && entry->content == NULL)
        {
          /* <xhtml:body>: the body itself, inline. */
          entry->content = dtx_feed_node_html (child);
          content_node = child;
        }
      else if ((dtx_feed_is_element (child, DTX_NS_DC, "creator") ||
                dtx_feed_is_element (child, DTX_NS_DC, "author")) && entry->author == NULL)
        {
          g_autofree char *text = dtx_feed_node_text (child);
          entry->author = dtx_feed_person_name (text);
        }
      else if (dtx_feed_is_rss (child, "author") && rss_author == NULL)
        rss_author = dtx_feed_node_text (child);
      else if (dtx_feed_is_element (child, DTX_NS_ITUNES, "author") && itunes_author == NULL)
        itunes_author = dtx_feed_node_text (child);
      else if (dtx_feed_is_rss (child, "pubDate") && pub_date == NULL)
        pub_date = dtx_feed_node_text (child);
      else if ((dtx_feed_is_element (child, DTX_NS_DC, "date") ||
                dtx_feed_is_element (child, DTX_NS_DCTERMS, "issued") ||
                dtx_feed_is_element (child, DTX_NS_DCTERMS, "created") ||
                dtx_feed_is_element (child, DTX_NS_DCTERMS, "modified") ||
                dtx_feed_is_atom (child, "updated") || dtx_feed_is_atom (child, "published")) &&
               dc_date == NULL)
        dc_date = dtx_feed_node_text (child);
      else if (dtx_feed_is_rss (child, "category") || dtx_feed_is_element (child, DTX_NS_DC, "subject"))
        {
          g_autofree char *text = dtx_feed_node_text (child);
          dtx_feed_entry_add_category (entry, dtx_feed_html_to_text (text));
        }
      else if (dtx_feed_is_rss (child, "enclosure") && enclosure == NULL)
        {
          g_autofree char *type = dtx_feed_node_attr (child, "type");
          g_autofree char *url = dtx_feed_node_attr (child, "url");

          /* Some generators leave the type out of an image enclosure. */
          if (dtx_feed_is_image_type (type) || (type == NULL && looks_like_image (url)))
            enclosure = g_steal_pointer (&url);
        }
      else if (dtx_feed_is_rss (child, "image") && item_image == NULL)
        {
          /* Not RSS, but common: <image>URL</image> or <image><url>URL</url></image>. */
          xmlNode *url = dtx_feed_first_child (child, dtx_feed_is_rss, "url");
          item_image = dtx_feed_node_text (url ? url : child);
        }
      else if (dtx_feed_is_element (child, DTX_NS_ITUNES, "image") && itunes_image == NULL)
        {
          itunes_image = dtx_feed_node_attr (child, "href");
          if (itunes_image == NULL)
            itunes_image = dtx_feed_node_text (child);
        }
      else if ((dtx_feed_is_element (child, DTX_NS_ITUNES, "summary") ||
                dtx_feed_is_element (child, DTX_NS_ITUNES, "subtitle")) && summary == NULL)
        {
          g_autofree char *text = dtx_feed_node_text (child);
          summary = text ? dtx_feed_text_to_html (text) : NULL;
        }
      else if (dtx_feed_is_atom (child, "link") && entry->link == NULL)
        {
          g_autofree char *rel = dtx_feed_node_attr (child, "rel");
          if (rel == NULL || g_strcmp0 (rel, "alternate") == 0)
            entry->link = dtx_feed_node_attr (child, "href");
        }
    }

  if (entry->title == NULL)
    entry->title = g_steal_pointer (&dc_title);
  if (entry->title == NULL)
    {
      g_autofree char *html = dtx_feed_media_text (item, "title");
      entry->title = dtx_feed_html_to_text (html);
    }

  /* RSS 1.0 names the item by its rdf:about. */
  if (entry->link == NULL)
    entry->link = dtx_feed_node_ns_attr (item, DTX_NS_RDF, "about");
  if (entry->link == NULL && guid != NULL && guid_is_link && dtx_uri_is_http (guid))
    entry->link = g_strdup (guid);
  dtx_feed_take_str (&entry->link, dtx_uri_resolve (base, entry->link));
  entry->guid = g_steal_pointer (&guid);

  if (entry->author == NULL)
    entry->author = dtx_feed_person_name (rss_author);
  if (entry->author == NULL)
    entry->author = dtx_feed_person_name (itunes_author);

  entry->date = dtx_date_parse (pub_date);
  if (entry->date == NULL)
    entry->date = dtx_date_parse (dc_date);

  if (description == NULL)
    description = dtx_feed_media_text (item, "description");
  if (description == NULL)
    description = g_steal_pointer (&summary);
  if (description != NULL)
    entry->excerpt = dtx_feed_html_to_text (description);
  /* Feeds without content:encoded carry the whole body in description. */
  if (entry->content == NULL)
    {
      entry->content = g_strdup (description);
      content_node = description_node;
    }
  entry->content_base = content_node ? dtx_feed_node_base (content_node, feed_base) : g_strdup (base);

  entry->image = dtx_feed_media_image (item);
  if (entry->image == NULL)
    entry->image = g_steal_pointer (&enclosure);
  if (entry->image == NULL)
    entry->image = g_steal_pointer (&itunes_image);
  if (entry->image == NULL && looks_like_image (item_image))
    entry->image = g_steal_pointer (&item_image);
  dtx_feed_take_str (&entry->image, dtx_uri_resolve (base, entry->image));
}

/* The channel's link, when the feed has no URL of its own. */
static char *
channel_link (xmlNode *root)
{
  xmlNode *channel = dtx_feed_first_child (root, dtx_feed_is_rss, "channel");

  return dtx_feed_node_text (dtx_feed_first_child (channel, dtx_feed_is_rss, "link"));
}

char *
dtx_feed_rss_base_from (const char *base_uri,
                        const char *link)
{
  /* Relative links resolve against xml:base, then the feed's own URL; a
   * feed read without one falls back on the channel's link. */
  if (base_uri != NULL && g_uri_peek_scheme (base_uri) != NULL)
    return g_strdup (base_uri);
  if (link != NULL)
    return dtx_uri_resolve (base_uri, link);
  return g_strdup (base_uri);
}

char *
dtx_feed_rss_feed_base (xmlNode    *root,
                        const char *base_uri)
{
  g_autofree char *link = NULL;

  if (base_uri != NULL && g_uri_peek_scheme (base_uri) != NULL)
    return g_strdup (base_uri);
  link = channel_link (root);
  return dtx_feed_rss_base_from (base_uri, link);
}

GPtrArray *
dtx_feed_parse_rss (xmlNode     *root,
                    const char  *base_uri,
                    char       **title_out)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean rdf = dtx_feed_is_element (root, DTX_NS_RDF, "RDF");
  xmlNode *channel = dtx_feed_first_child (root, dtx_feed_is_rss, "channel");
  g_autofree char *feed_base = dtx_feed_rss_feed_base (root, base_uri);

  if (channel != NULL && title_out != NULL)
    {
      xmlNode *title = dtx_feed_first_child (channel, dtx_feed_is_rss, "title");
      g_autofree char *html = NULL;

      if (title == NULL)
        {
          for (xmlNode *c = channel->children; c != NULL && title == NULL; c = c->next)
            if (dtx_feed_is_element (c, DTX_NS_DC, "title"))
              title = c;
        }
      html = dtx_feed_node_html (title);
      *title_out = dtx_feed_html_to_text (html);
    }

  /* RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it;
   * accept either for both, sloppy feeds mix them up. (Items read while
   * the document streamed in are gone from the tree by now.) */
  for (guint pass = 0; pass < 2; pass++)
    {
      xmlNode *parent;

      if (pass == 0)
        parent = rdf ? root : channel;
      else
        parent = rdf ? channel : root;
      if (parent == NULL)
        continue;
      for (xmlNode *child = parent->children; child != NULL; child = child->next)
        {
          g_auto(DtxFeedEntry) entry = { 0 };

          if (!dtx_feed_is_rss (child, "item"))
            continue;
          dtx_feed_rss_item (child, feed_base, &entry);
          dtx_feed_entry_finish (&entry, articles);
        }
    }

  return articles;
}
