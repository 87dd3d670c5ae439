/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-opml"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-opml.h"

G_DEFINE_BOXED_TYPE (DtxOpmlOutline, dtx_opml_outline, dtx_opml_outline_copy, dtx_opml_outline_free)

DtxOpmlOutline *
dtx_opml_outline_new (const char *url,
                      const char *title,
                      const char *html_url)
{
  DtxOpmlOutline *outline = g_new0 (DtxOpmlOutline, 1);

  outline->url = g_strdup (url);
  outline->title = g_strdup (title);
  outline->html_url = g_strdup (html_url);
  return outline;
}

DtxOpmlOutline *
dtx_opml_outline_copy (const DtxOpmlOutline *outline)
{
  g_return_val_if_fail (outline != NULL, NULL);

  return dtx_opml_outline_new (outline->url, outline->title, outline->html_url);
}

void
dtx_opml_outline_free (DtxOpmlOutline *outline)
{
  if (outline == NULL)
    return;

  g_free (outline->url);
  g_free (outline->title);
  g_free (outline->html_url);
  g_free (outline);
}

/* Reading */

static void
set_parse_error (GError **error)
{
  g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                       _("This file is not a valid OPML list of subscriptions. Export it again from the other app."));
}

/* Attribute names differ in case between exporters (xmlUrl, xmlurl, XMLURL). */
static char *
get_attribute (xmlNode    *node,
               const char *name)
{
  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    {
      if (g_ascii_strcasecmp ((const char *)attr->name, name) == 0)
        {
          xmlChar *value = xmlNodeListGetString (node->doc, attr->children, 1);
          g_autofree char *copy = g_strdup ((const char *)value);

          xmlFree (value);
          if (copy == NULL)
            return NULL;
          g_strstrip (copy);
          return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
        }
    }

  return NULL;
}

static void
read_outlines (xmlNode   *parent,
               GPtrArray *outlines)
{
  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    {
      g_autofree char *url = NULL;
      g_autofree char *title = NULL;
      g_autofree char *html_url = NULL;

      if (node->type != XML_ELEMENT_NODE || g_ascii_strcasecmp ((const char *)node->name, "outline") != 0)
        continue;

      url = get_attribute (node, "xmlUrl");
      if (url == NULL)
        {
          g_autofree char *type = get_attribute (node, "type");

          /* OPML 2.0 link outlines, and some 1.0 exporters, say url= instead. */
          if (type != NULL && (g_ascii_strcasecmp (type, "rss") == 0 ||
                               g_ascii_strcasecmp (type, "link") == 0))
            url = get_attribute (node, "url");
        }

      if (url != NULL)
        {
          title = get_attribute (node, "title");
          if (title == NULL)
            title = get_attribute (node, "text");
          html_url = get_attribute (node, "htmlUrl");
          g_ptr_array_add (outlines, dtx_opml_outline_new (url, title, html_url));
        }

      /* Folders, and feeds some apps nest under feeds: flattened. */
      read_outlines (node, outlines);
    }
}

GPtrArray *
dtx_opml_parse (GBytes  *data,
                GError **error)
{
  g_autoptr(GPtrArray) outlines = NULL;
  const xmlError *xml_error;
  xmlNode *root;
  xmlNode *body = NULL;
  xmlDoc *doc;
  const char *bytes;
  gsize size;

  g_return_val_if_fail (data != NULL, NULL);

  bytes = g_bytes_get_data (data, &size);
  if (bytes == NULL || size == 0 || size > G_MAXINT)
    {
      set_parse_error (error);
      return NULL;
    }

  /* Untrusted: no network, no DTD loading, entities left unexpanded (no
   * XML_PARSE_NOENT), and no recovery: a broken file changes nothing. */
  doc = xmlReadMemory (bytes, (int)size, NULL, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == NULL)
    {
      xml_error = xmlGetLastError ();
      g_message ("OPML does not parse: %s", xml_error && xml_error->message ? xml_error->message : "unknown");
      set_parse_error (error);
      return NULL;
    }

  /* OPML has no use for entity declarations; a file with some is hostile
   * (an expansion bomb) or not OPML. */
  if (doc->intSubset != NULL && doc->intSubset->entities != NULL)
    {
      g_message ("OPML declares entities: refused");
      xmlFreeDoc (doc);
      set_parse_error (error);
      return NULL;
    }

  root = xmlDocGetRootElement (doc);
  if (root == NULL || g_ascii_strcasecmp ((const char *)root->name, "opml") != 0)
    {
      g_message ("The root element is not <opml>");
      xmlFreeDoc (doc);
      set_parse_error (error);
      return NULL;
    }

  for (xmlNode *node = root->children; node != NULL; node = node->next)
    if (node->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *)node->name, "body") == 0)
      {
        body = node;
        break;
      }

  if (body == NULL)
    {
      g_message ("OPML without <body>");
      xmlFreeDoc (doc);
      set_parse_error (error);
      return NULL;
    }

  outlines = g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_opml_outline_free);
  read_outlines (body, outlines);
  xmlFreeDoc (doc);

  return g_steal_pointer (&outlines);
}

/* Writing */

/* Text for an attribute or element: valid UTF-8, only characters XML 1.0
 * allows, markup escaped, and line breaks and tabs as references so that
 * attribute normalisation keeps them. */
static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;

  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        case '\t': g_string_append (out, "&#9;"); break;
        case '\n': g_string_append (out, "&#10;"); break;
        case '\r': g_string_append (out, "&#13;"); break;
        default:
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF)
            break; /* not allowed in XML 1.0, even as a reference */
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
    }
}

static void
append_attribute (GString    *out,
                  const char *name,
                  const char *value)
{
  if (value == NULL)
    return;

  g_string_append_printf (out, " %s=\"", name);
  append_escaped (out, value);
  g_string_append_c (out, '"');
}

/* RFC 822, as OPML 2.0 asks, in English whatever the locale. */
static char *
format_rfc822 (GDateTime *when)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d GMT",
                          days[g_date_time_get_day_of_week (when) - 1],
                          g_date_time_get_day_of_month (when),
                          months[g_date_time_get_month (when) - 1],
                          g_date_time_get_year (when),
                          g_date_time_get_hour (when),
                          g_date_time_get_minute (when),
                          g_date_time_get_second (when));
}

GBytes *
dtx_opml_write (GPtrArray  *outlines,
                const char *title)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = format_rfc822 (now);
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  g_string_append (out, "<opml version=\"2.0\">\n  <head>\n    <title>");
  append_escaped (out, title ? title : "DigiTripX Reader");
  g_string_append_printf (out, "</title>\n    <dateCreated>%s</dateCreated>\n"
                               "    <docs>http://opml.org/spec2.opml</docs>\n  </head>\n  <body>\n",
                          date);

  for (guint i = 0; outlines != NULL && i < outlines->len; i++)
    {
      const DtxOpmlOutline *outline = g_ptr_array_index (outlines, i);
      const char *text = outline->title && *outline->title ? outline->title : outline->url;

      if (outline->url == NULL || *outline->url == '\0')
        continue;

      /* text is required by OPML 2.0; readers show it. */
      g_string_append (out, "    <outline type=\"rss\"");
      append_attribute (out, "text", text);
      append_attribute (out, "title", text);
      append_attribute (out, "xmlUrl", outline->url);
      append_attribute (out, "htmlUrl", outline->html_url);
      g_string_append (out, "/>\n");
    }

  g_string_append (out, "  </body>\n</opml>\n");
  return g_string_free_to_bytes (out);
}
