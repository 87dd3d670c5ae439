/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <json-glib/json-glib.h>

#include "dtx-date.h"
#include "dtx-error.h"
#include "dtx-feed-private.h"
#include "dtx-html.h"
#include "dtx-json.h"
#include "dtx-uri.h"

/* JSON Feed 1.0 and 1.1. */

static void
parse_item (JsonObject   *item,
            const char   *base,
            DtxFeedEntry *entry)
{
  JsonNode *id_node = json_object_get_member (item, "id");
  JsonObject *author = NULL;
  JsonArray *tags;
  const char *s;

  /* The spec says string, some generators write a number. */
  if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node))
    {
      if (json_node_get_value_type (id_node) == G_TYPE_STRING)
        {
          const char *id = json_node_get_string (id_node);
          entry->guid = id && *id ? g_strdup (id) : NULL;
        }
      else if (json_node_get_value_type (id_node) == G_TYPE_INT64)
        entry->guid = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id_node));
    }

  s = dtx_json_nonempty_string_member (item, "url");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "external_url");
  if (s == NULL && dtx_uri_is_http (entry->guid))
    s = entry->guid;
  entry->link = dtx_uri_resolve (base, s);

  entry->title = dtx_feed_plain_to_text (dtx_json_nonempty_string_member (item, "title"));

  if ((s = dtx_json_nonempty_string_member (item, "content_html")) != NULL)
    entry->content = g_strdup (s);
  else if ((s = dtx_json_nonempty_string_member (item, "content_text")) != NULL)
    entry->content = dtx_feed_text_to_html (s);
  entry->content_base = g_strdup (base);

  entry->excerpt = dtx_feed_plain_to_text (dtx_json_nonempty_string_member (item, "summary"));

  s = dtx_json_nonempty_string_member (item, "image");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "banner_image");
  entry->image = dtx_uri_resolve (base, s);

  s = dtx_json_nonempty_string_member (item, "date_published");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "date_modified");
  entry->date = dtx_date_parse (s);

  /* 1.1 has authors[], 1.0 had author. */
  tags = dtx_json_array_member (item, "authors");
  if (tags != NULL && json_array_get_length (tags) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (tags, 0)))
    author = json_node_get_object (json_array_get_element (tags, 0));
  if (author == NULL)
    author = dtx_json_object_member (item, "author");
  {
    g_autofree char *name = dtx_feed_plain_to_text (dtx_json_nonempty_string_member (author, "name"));
    entry->author = dtx_feed_person_name (name);
  }

  if ((tags = dtx_json_array_member (item, "tags")) != NULL)
    for (guint i = 0; i < json_array_get_length (tags); i++)
      {
        JsonNode *tag = json_array_get_element (tags, i);

        if (JSON_NODE_HOLDS_VALUE (tag) && json_node_get_value_type (tag) == G_TYPE_STRING)
          dtx_feed_entry_add_category (entry, dtx_feed_plain_to_text (json_node_get_string (tag)));
      }
}

GPtrArray *
dtx_feed_parse_json (const char  *data,
                     gsize        length,
                     const char  *base_uri,
                     char       **title_out,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *valid = NULL;
  GPtrArray *articles;
  JsonObject *feed;
  JsonArray *items;
  JsonNode *root;
  const char *version;
  const char *home;

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("The feed is too large to read"));
      return NULL;
    }
  /* JSON is UTF-8; a stray byte should not cost the whole feed. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      valid = dtx_markup_utf8 (data, length);
      data = valid;
      length = strlen (valid);
    }

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_message ("%s: not valid JSON: %s", base_uri ? base_uri : "feed", local_error->message);
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site’s feed is damaged and could not be read."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  feed = (root && JSON_NODE_HOLDS_OBJECT (root)) ? json_node_get_object (root) : NULL;
  version = dtx_json_nonempty_string_member (feed, "version");
  if (version == NULL || strstr (version, "jsonfeed.org") == NULL)
    {
      g_message ("%s: JSON, but not a JSON Feed", base_uri ? base_uri : "document");
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("This address does not lead to a news site or a feed."));
      return NULL;
    }

  if (title_out != NULL)
    *title_out = dtx_feed_plain_to_text (dtx_json_nonempty_string_member (feed, "title"));

  /* Relative URLs resolve against the feed's URL, else its home page. */
  home = dtx_json_nonempty_string_member (feed, "home_page_url");
  if (base_uri != NULL && g_uri_peek_scheme (base_uri) != NULL)
    base = g_strdup (base_uri);
  else if (home != NULL)
    base = dtx_uri_resolve (base_uri, home);
  else
    base = g_strdup (base_uri);

  articles = g_ptr_array_new_with_free_func (g_object_unref);
  items = dtx_json_array_member (feed, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_auto(DtxFeedEntry) entry = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      parse_item (json_node_get_object (node), base, &entry);
      dtx_feed_entry_finish (&entry, articles);
    }

  return articles;
}
