/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <string.h>

#include "dtx-date.h"
#include "dtx-feed-private.h"
#include "dtx-uri.h"

/* Atom 1.0 and 0.3, with Media RSS (YouTube's layout) and Dublin Core. */

static gboolean
is_xml_type (const char *type)
{
  return g_str_has_suffix (type, "+xml") || g_str_has_suffix (type, "/xml");
}

/* Base64 content: Atom 0.3's mode="base64", or Atom 1.0 content of a
 * media type that is neither text nor XML. */
static char *
base64_html (xmlNode    *node,
             const char *type)
{
  g_autofree char *text = dtx_feed_node_text (node);
  g_autofree guchar *bytes = NULL;
  g_autofree char *decoded = NULL;
  gsize length = 0;

  if (text == NULL)
    return NULL;
  /* Decoding skips the line breaks and spaces base64 is wrapped with. */
  bytes = g_base64_decode (text, &length);
  if (bytes == NULL || length == 0)
    return NULL;
  decoded = g_utf8_make_valid ((const char *) bytes, length);

  if (type == NULL || g_ascii_strcasecmp (type, "text") == 0 ||
      g_ascii_strcasecmp (type, "text/plain") == 0)
    return g_markup_escape_text (decoded, -1);
  if (g_ascii_strcasecmp (type, "html") == 0 || g_ascii_strcasecmp (type, "text/html") == 0 ||
      g_ascii_strcasecmp (type, "xhtml") == 0 || is_xml_type (type))
    return g_steal_pointer (&decoded);
  /* application/octet-stream is what generators write for "base64, type
   * unknown": text that decodes to clean UTF-8 is read as HTML. */
  if (g_ascii_strcasecmp (type, "application/octet-stream") == 0 &&
      g_utf8_validate ((const char *) bytes, length, NULL) &&
      memchr (bytes, '\0', length) == NULL)
    return g_steal_pointer (&decoded);
  /* An image or other binary: nothing to read. */
  return NULL;
}

/* Atom text constructs as HTML: type="text" (default) is plain text,
 * "html" escaped HTML, "xhtml" inline markup; Atom 0.3 writes MIME types
 * and a mode. */
static char *
atom_html (xmlNode *node)
{
  g_autofree char *type = NULL;
  g_autofree char *mode = NULL;

  if (node == NULL)
    return NULL;
  type = dtx_feed_node_attr (node, "type");
  mode = dtx_feed_node_attr (node, "mode");

  if (g_strcmp0 (mode, "base64") == 0 ||
      (type != NULL && strchr (type, '/') != NULL && g_ascii_strncasecmp (type, "text/", 5) != 0 &&
       !is_xml_type (type)))
    return base64_html (node, type);

  if (type == NULL || g_ascii_strcasecmp (type, "text") == 0 ||
      g_ascii_strcasecmp (type, "text/plain") == 0)
    {
      g_autofree char *text = NULL;

      /* Atom 0.3 inline markup (mode="xml" is its default). */
      if (g_strcmp0 (mode, "xml") == 0 && g_strcmp0 (type, "text/plain") != 0)
        return dtx_feed_node_html (node);
      text = dtx_feed_node_text (node);
      return text ? g_markup_escape_text (text, -1) : NULL;
    }
  return dtx_feed_node_html (node);
}

char *
dtx_feed_atom_author_name (xmlNode *author)
{
  g_autofree char *name = NULL;

  if (author == NULL)
    return NULL;
  name = dtx_feed_node_text (dtx_feed_first_child (author, dtx_feed_is_atom, "name"));
  if (name == NULL && author->children != NULL && author->children->next == NULL)
    /* <author>Jane Doe</author>, without the name element. */
    name = dtx_feed_node_text (author);
  if (name == NULL)
    return NULL;
  {
    g_autofree char *escaped = g_markup_escape_text (name, -1);
    return dtx_feed_person_name (escaped);
  }
}

char *
dtx_feed_atom_person_name (xmlNode *parent)
{
  return dtx_feed_atom_author_name (dtx_feed_first_child (parent, dtx_feed_is_atom, "author"));
}

void
dtx_feed_atom_entry (xmlNode      *node,
                     const char   *base_uri,
                     const char   *feed_author,
             DtxFeedEntry *entry)
{
  g_autofree char *base = dtx_feed_node_base (node, base_uri);
  g_autofree char *summary = NULL;
  g_autofree char *published = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *dc_date = NULL;
  g_autofree char *enclosure = NULL;
  g_autofree char *any_link = NULL;
  xmlNode *content_node = NULL;
  xmlNode *summary_node = NULL;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (dtx_feed_is_atom (child, "title") && entry->title == NULL)
        {
          g_autofree char *html = atom_html (child);
          entry->title = dtx_feed_html_to_text (html);
        }
      else if (dtx_feed_is_atom (child, "link"))
        {
          g_autofree char *rel = dtx_feed_node_attr (child, "rel");
          g_autofree char *type = dtx_feed_node_attr (child, "type");
          g_autofree char *href = dtx_feed_node_attr (child, "href");

          /* Some generators put the address in the element's text. */
          if (href == NULL)
            href = dtx_feed_node_text (child);
          if (href == NULL)
            continue;
          if (rel == NULL || strcmp (rel, "alternate") == 0)
            {
              /* Prefer the HTML page over other alternates. */
              if (entry->link == NULL || g_strcmp0 (type, "text/html") == 0)
                dtx_feed_take_str (&entry->link, g_steal_pointer (&href));
            }
          else if (strcmp (rel, "enclosure") == 0 && dtx_feed_is_image_type (type) && enclosure == NULL)
            enclosure = g_steal_pointer (&href);
          else if (any_link == NULL && strcmp (rel, "self") != 0 && strcmp (rel, "replies") != 0 &&
                   strcmp (rel, "enclosure") != 0 && strcmp (rel, "edit") != 0)
            any_link = g_steal_pointer (&href);
        }
      else if (dtx_feed_is_atom (child, "id") && entry->guid == NULL)
        entry->guid = dtx_feed_node_text (child);
      else if ((dtx_feed_is_atom (child, "summary") || dtx_feed_is_atom (child, "subtitle")) &&
               summary == NULL)
        {
          summary = atom_html (child);
          summary_node = child;
        }
      else if (dtx_feed_is_atom (child, "content") && entry->content == NULL)
        {
          g_autofree char *src = dtx_feed_node_attr (child, "src");
          /* Out-of-line content (src=) is not fetched. */
          if (src == NULL)
            {
              entry->content = atom_html (child);
              content_node = child;
            }
        }
      else if ((dtx_feed_is_atom (child, "published") || dtx_feed_is_atom (child, "issued") ||
                dtx_feed_is_atom (child, "created")) && published == NULL)
        published = dtx_feed_node_text (child);
      else if ((dtx_feed_is_atom (child, "updated") || dtx_feed_is_atom (child, "modified")) &&
               updated == NULL)
        updated = dtx_feed_node_text (child);
      else if (dtx_feed_is_element (child, DTX_NS_DC, "date") && dc_date == NULL)
        dc_date = dtx_feed_node_text (child);
      else if (dtx_feed_is_atom (child, "category"))
        {
          g_autofree char *label = dtx_feed_node_attr (child, "label");
          g_autofree char *term = dtx_feed_node_attr (child, "term");
          dtx_feed_entry_add_category (entry, dtx_feed_plain_to_text (label ? label : term));
        }
      else if (dtx_feed_is_element (child, DTX_NS_DC, "subject"))
        {
          g_autofree char *text = dtx_feed_node_text (child);
          dtx_feed_entry_add_category (entry, dtx_feed_plain_to_text (text));
        }
      else if (dtx_feed_is_element (child, DTX_NS_DC, "creator") && entry->author == NULL)
        {
          g_autofree char *text = dtx_feed_node_text (child);
          entry->author = dtx_feed_person_name (text);
        }
    }

  if (entry->title == NULL)
    {
      g_autofree char *html = dtx_feed_media_text (node, "title");
      entry->title = dtx_feed_html_to_text (html);
    }

  if (entry->link == NULL)
    entry->link = g_steal_pointer (&any_link);
  if (entry->link == NULL && dtx_uri_is_http (entry->guid))
    entry->link = g_strdup (entry->guid);
  dtx_feed_take_str (&entry->link, dtx_uri_resolve (base, entry->link));

  {
    char *name = dtx_feed_atom_person_name (node);
    if (name != NULL)
      dtx_feed_take_str (&entry->author, name);
  }
  if (entry->author == NULL)
    entry->author = g_strdup (feed_author);

  /* RFC 822 dates turn up in Atom too: the date parser reads both. */
  entry->date = dtx_date_parse (published);
  if (entry->date == NULL)
    entry->date = dtx_date_parse (updated);
  if (entry->date == NULL)
    entry->date = dtx_date_parse (dc_date);

  /* YouTube puts the text in media:group/media:description. */
  if (summary == NULL && entry->content == NULL)
    summary = dtx_feed_media_text (node, "description");
  if (summary != NULL)
    entry->excerpt = dtx_feed_html_to_text (summary);
  if (entry->content == NULL)
    {
      entry->content = g_strdup (summary);
      content_node = summary_node;
    }
  entry->content_base = content_node ? dtx_feed_node_base (content_node, base_uri) : g_strdup (base);

  entry->image = dtx_feed_media_image (node);
  if (entry->image == NULL)
    entry->image = g_steal_pointer (&enclosure);
  dtx_feed_take_str (&entry->image, dtx_uri_resolve (base, entry->image));
}

GPtrArray *
dtx_feed_parse_atom (xmlNode     *root,
                     const char  *base_uri,
                     char       **title_out)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *feed_author = dtx_feed_atom_person_name (root);
  xmlNode *title = dtx_feed_first_child (root, dtx_feed_is_atom, "title");

  if (title_out != NULL && title != NULL)
    {
      g_autofree char *html = atom_html (title);
      *title_out = dtx_feed_html_to_text (html);
    }

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_auto(DtxFeedEntry) entry = { 0 };

      if (!dtx_feed_is_atom (child, "entry"))
        continue;
      dtx_feed_atom_entry (child, base_uri, feed_author, &entry);
      dtx_feed_entry_finish (&entry, articles);
    }

  return articles;
}
