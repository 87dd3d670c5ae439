/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-wordpress"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-html.h"
#include "dtx-json.h"
#include "dtx-sanitizer.h"
#include "dtx-uri.h"
#include "dtx-wordpress.h"

#define API_REL "https://api.w.org/"
#define EMBED_QUERY "_embed=author,wp:featuredmedia,wp:term&per_page=20"

/* WordPress wraps text fields as {"rendered": "…"}; a few plugins flatten
 * them to a plain string, so accept both. */
static const char *
member_rendered (JsonObject *object,
                 const char *name)
{
  JsonObject *wrapper = dtx_json_object_member (object, name);

  if (wrapper != NULL)
    return dtx_json_string_member (wrapper, "rendered");
  return dtx_json_string_member (object, name);
}

static JsonObject *
array_first_object (JsonArray *array)
{
  JsonNode *node;

  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  node = json_array_get_element (array, 0);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* An embedded item the server could not resolve is replaced by a REST error
 * object ({"code": …, "message": …}) in the same slot. */
static gboolean
is_error_object (JsonObject *object)
{
  return object != NULL && json_object_has_member (object, "code");
}

static char *
to_text_or_null (const char *html)
{
  g_autofree char *text = NULL;

  if (html == NULL)
    return NULL;
  text = dtx_sanitizer_to_text (html);
  if (text == NULL || *text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

/* Themes append a "Read more" / "Baca selengkapnya" link to excerpts
 * (<a class="more-link">…</a>); it is noise in a list row. One pass over
 * the text: excerpts come from the server, and rescanning it for every
 * marker let a hostile one stall the main loop for minutes. */
static char *
strip_more_links (const char *html)
{
  GString *out = g_string_new (NULL);
  const char *copied = html; /* html before this is already in out */
  const char *open = NULL;   /* the '<' of the tag we are inside, if any */

  for (const char *p = html; *p != '\0'; p++)
    {
      const char *close;

      if (*p == '<')
        open = p;
      else if (*p == '>')
        open = NULL;
      else if (open != NULL && g_str_has_prefix (p, "more-link") &&
               g_ascii_tolower (open[1]) == 'a' && g_ascii_isspace (open[2]))
        {
          /* No "</a>" here means none for any later marker either. */
          if ((close = strstr (p, "</a>")) == NULL)
            break;

          g_string_append_len (out, copied, open - copied);
          copied = close + strlen ("</a>");
          p = copied - 1;
          open = NULL;
        }
    }

  g_string_append (out, copied);
  return g_string_free (out, FALSE);
}

static GDateTime *
parse_date (JsonObject *post)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;
  const char *value;

  /* date_gmt has no zone suffix but is UTC; "date" is the site's local
   * time, with no way to know its offset here, so UTC is the best guess. */
  if ((value = dtx_json_nonempty_string_member (post, "date_gmt")) != NULL)
    date = g_date_time_new_from_iso8601 (value, utc);
  if (date == NULL && (value = dtx_json_nonempty_string_member (post, "date")) != NULL)
    date = g_date_time_new_from_iso8601 (value, utc);
  if (date == NULL)
    return NULL;

  return g_date_time_to_utc (date);
}

static char *
parse_author (JsonObject *post)
{
  JsonObject *embedded = dtx_json_object_member (post, "_embedded");
  JsonObject *author = array_first_object (dtx_json_array_member (embedded, "author"));
  char *name = NULL;

  if (author != NULL && !is_error_object (author))
    name = to_text_or_null (dtx_json_string_member (author, "name"));

  if (name == NULL)
    name = to_text_or_null (dtx_json_string_member (dtx_json_object_member (post, "yoast_head_json"), "author"));

  return name;
}

static char *
parse_image (JsonObject *post)
{
  static const char * const preferred[] = { "medium_large", "large", "full" };
  JsonObject *embedded = dtx_json_object_member (post, "_embedded");
  JsonObject *media = array_first_object (dtx_json_array_member (embedded, "wp:featuredmedia"));
  const char *url;

  if (media != NULL && !is_error_object (media))
    {
      JsonObject *sizes = dtx_json_object_member (dtx_json_object_member (media, "media_details"), "sizes");

      /* Big enough for a thumbnail and a reader header, without
       * downloading the original upload. */
      for (guint i = 0; i < G_N_ELEMENTS (preferred); i++)
        {
          url = dtx_json_string_member (dtx_json_object_member (sizes, preferred[i]), "source_url");
          if (dtx_uri_is_http (url))
            return g_strdup (url);
        }

      url = dtx_json_string_member (media, "source_url");
      if (dtx_uri_is_http (url))
        return g_strdup (url);
    }

  /* Jetpack exposes the featured image even when _embed could not. */
  url = dtx_json_string_member (post, "jetpack_featured_media_url");
  if (dtx_uri_is_http (url))
    return g_strdup (url);

  return NULL;
}

static char **
parse_categories (JsonObject *post)
{
  JsonArray *groups = dtx_json_array_member (dtx_json_object_member (post, "_embedded"), "wp:term");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n_groups = groups ? json_array_get_length (groups) : 0;

  for (guint i = 0; i < n_groups; i++)
    {
      JsonNode *group_node = json_array_get_element (groups, i);
      JsonArray *group;
      guint n_terms;

      if (!JSON_NODE_HOLDS_ARRAY (group_node))
        continue;
      group = json_node_get_array (group_node);
      n_terms = json_array_get_length (group);

      for (guint j = 0; j < n_terms; j++)
        {
          JsonNode *term_node = json_array_get_element (group, j);
          JsonObject *term;
          char *name;

          if (!JSON_NODE_HOLDS_OBJECT (term_node))
            continue;
          term = json_node_get_object (term_node);
          if (g_strcmp0 (dtx_json_string_member (term, "taxonomy"), "category") != 0)
            continue;
          if ((name = to_text_or_null (dtx_json_string_member (term, "name"))) != NULL)
            g_ptr_array_add (names, name);
        }
    }

  if (names->len == 0)
    return NULL;

  g_ptr_array_add (names, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static gint64
parse_id (JsonObject *post)
{
  JsonNode *node = json_object_get_member (post, "id");
  gint64 id = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      id = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      {
        double d = json_node_get_double (node);
        if (d >= 1 && d < (double)G_MAXINT64)
          id = (gint64)d;
      }
      break;
    case G_TYPE_STRING:
      id = g_ascii_strtoll (json_node_get_string (node), NULL, 10);
      break;
    default:
      break;
    }

  /* The model's id is a positive key; anything else means "unknown". */
  return id > 0 ? id : 0;
}

static DtxArticle *
parse_post (JsonObject *post,
            const char *source_name)
{
  g_autoptr(DtxArticle) article = NULL;
  g_autofree char *title = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *author = NULL;
  g_autofree char *image = NULL;
  g_auto(GStrv) categories = NULL;
  g_autoptr(GDateTime) date = NULL;
  const char *link = dtx_json_nonempty_string_member (post, "link");
  const char *excerpt_html;

  title = to_text_or_null (member_rendered (post, "title"));
  if (link == NULL && title == NULL)
    return NULL;

  if ((excerpt_html = member_rendered (post, "excerpt")) != NULL)
    {
      g_autofree char *trimmed = strip_more_links (excerpt_html);
      excerpt = to_text_or_null (trimmed);
    }

  author = parse_author (post);
  image = parse_image (post);
  categories = parse_categories (post);
  date = parse_date (post);

  article = dtx_article_new ();
  dtx_article_set_id (article, parse_id (post));
  dtx_article_set_link (article, link);
  dtx_article_set_title (article, title);
  dtx_article_set_excerpt (article, excerpt);
  dtx_article_set_content (article, member_rendered (post, "content"));
  dtx_article_set_author (article, author);
  dtx_article_set_date (article, date);
  dtx_article_set_image_url (article, image);
  if (categories != NULL)
    dtx_article_set_categories (article, (const char * const *)categories);
  dtx_article_set_source_name (article, source_name);

  return g_steal_pointer (&article);
}

GPtrArray *
dtx_wordpress_parse_posts (GBytes      *json,
                           const char  *source_name,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize length = 0;
  JsonNode *root;
  JsonArray *posts;
  guint n_posts;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (json, &length);
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site sent an empty answer instead of a list of posts"));
      return NULL;
    }
  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The list of posts is too large to read"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize)length, &local_error))
    {
      /* The parser's words go to the log, the user gets a sentence. */
      g_message ("The list of posts is not valid JSON: %s", local_error->message);
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site sent a damaged list of articles."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *message = dtx_json_nonempty_string_member (object, "message");
      const char *code = dtx_json_nonempty_string_member (object, "code");

      if (message != NULL || code != NULL)
        {
          /* A REST error (page past the end, API closed to visitors…):
           * its message is the most useful thing to tell the user. */
          g_autofree char *text = to_text_or_null (message ? message : code);
          /* In the site's language, often English: the log, not the UI. */
          g_message ("The site answered with an error: %s", text ? text : (message ? message : code));
          g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                               _("The site refused to list its articles."));
          return NULL;
        }
    }

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site did not answer with a list of posts"));
      return NULL;
    }

  posts = json_node_get_array (root);
  n_posts = json_array_get_length (posts);
  articles = g_ptr_array_new_full (n_posts, g_object_unref);

  for (guint i = 0; i < n_posts; i++)
    {
      JsonNode *node = json_array_get_element (posts, i);
      DtxArticle *article;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if ((article = parse_post (json_node_get_object (node), source_name)) != NULL)
        g_ptr_array_add (articles, article);
    }

  return g_steal_pointer (&articles);
}

/* Link headers: `<uri>; param=value; param="value", <uri>; …`. URIs may
 * themselves hold commas (`_embed=a,b`), so split on structure, not on ','. */
char *
dtx_wordpress_api_root_from_link_header (const char *link_header)
{
  const char *p = link_header;

  if (link_header == NULL)
    return NULL;

  while (*p != '\0')
    {
      g_autofree char *uri = NULL;
      gboolean is_api = FALSE;
      const char *end;

      while (*p == ',' || g_ascii_isspace (*p))
        p++;
      if (*p != '<')
        {
          /* Not a link-value: skip to the next one. */
          while (*p != '\0' && *p != ',')
            p++;
          continue;
        }

      if ((end = strchr (p + 1, '>')) == NULL)
        break;
      uri = g_strndup (p + 1, end - (p + 1));
      p = end + 1;

      /* Parameters up to the next top-level comma. */
      while (*p != '\0' && *p != ',')
        {
          g_autofree char *name = NULL;
          g_autofree char *value = NULL;
          const char *start;

          while (*p == ';' || g_ascii_isspace (*p))
            p++;
          start = p;
          while (*p != '\0' && *p != '=' && *p != ';' && *p != ',' && !g_ascii_isspace (*p))
            p++;
          name = g_strndup (start, p - start);
          while (g_ascii_isspace (*p))
            p++;
          if (*p != '=')
            continue;
          p++;
          while (g_ascii_isspace (*p))
            p++;

          if (*p == '"')
            {
              GString *buf = g_string_new (NULL);

              for (p++; *p != '\0' && *p != '"'; p++)
                {
                  if (*p == '\\' && p[1] != '\0')
                    p++;
                  g_string_append_c (buf, *p);
                }
              if (*p == '"')
                p++;
              value = g_string_free (buf, FALSE);
            }
          else
            {
              start = p;
              while (*p != '\0' && *p != ';' && *p != ',' && !g_ascii_isspace (*p))
                p++;
              value = g_strndup (start, p - start);
            }

          /* rel may list several relation types separated by spaces. */
          if (g_ascii_strcasecmp (name, "rel") == 0)
            {
              g_auto(GStrv) rels = g_strsplit_set (value, " \t", -1);

              for (guint i = 0; rels[i] != NULL; i++)
                if (g_ascii_strcasecmp (rels[i], API_REL) == 0)
                  is_api = TRUE;
            }
        }

      if (is_api && *uri != '\0')
        return g_strstrip (g_steal_pointer (&uri));
    }

  return NULL;
}

static gboolean
rel_has_api (const xmlChar *rel)
{
  g_auto(GStrv) rels = NULL;

  if (rel == NULL)
    return FALSE;
  rels = g_strsplit_set ((const char *)rel, " \t\r\n", -1);
  for (guint i = 0; rels[i] != NULL; i++)
    if (g_ascii_strcasecmp (rels[i], API_REL) == 0)
      return TRUE;
  return FALSE;
}

static char *
find_api_link (xmlNode *node)
{
  /* Depth-first over the whole document: broken markup can push <link>
   * from <head> into <body>. */
  for (; node != NULL; node = node->next)
    {
      char *found;

      if (node->type != XML_ELEMENT_NODE)
        continue;

      if (g_ascii_strcasecmp ((const char *)node->name, "link") == 0)
        {
          xmlChar *rel = xmlGetProp (node, (const xmlChar *)"rel");
          gboolean is_api = rel_has_api (rel);

          xmlFree (rel);
          if (is_api)
            {
              xmlChar *href = xmlGetProp (node, (const xmlChar *)"href");
              g_autofree char *url = href ? g_strstrip (g_strdup ((const char *)href)) : NULL;

              xmlFree (href);
              if (url != NULL && *url != '\0')
                return g_steal_pointer (&url);
            }
        }

      if ((found = find_api_link (node->children)) != NULL)
        return found;
    }

  return NULL;
}

char *
dtx_wordpress_api_root_from_html (const char *html,
                                  gsize       length)
{
  htmlDocPtr doc;
  char *root = NULL;

  if (html == NULL || length == 0 || length > G_MAXINT)
    return NULL;

  doc = dtx_html_read (html, length, NULL);
  if (doc == NULL)
    return NULL;

  root = find_api_link (xmlDocGetRootElement (doc));
  xmlFreeDoc (doc);

  return root;
}

char *
dtx_wordpress_posts_url (const char *api_root,
                         guint       page,
                         const char *slug)
{
  g_autofree char *escaped_slug = NULL;
  g_autofree char *base = NULL;
  GString *url;

  g_return_val_if_fail (api_root != NULL, NULL);

  if (page == 0)
    page = 1;

  if (strstr (api_root, "?rest_route=") != NULL || strstr (api_root, "&rest_route=") != NULL)
    {
      /* Sites without pretty permalinks: the route is a query parameter,
       * so the rest of the query joins with '&'. */
      gsize len = strlen (api_root);
      gboolean ends_with_slash =
        (len > 0 && api_root[len - 1] == '/') ||
        (len >= 3 && g_ascii_strcasecmp (api_root + len - 3, "%2F") == 0);

      url = g_string_new (api_root);
      g_string_append (url, ends_with_slash ? "wp/v2/posts&" : "/wp/v2/posts&");
    }
  else
    {
      const char *query = strchr (api_root, '?');
      gsize len;

      /* Keep any query the root carries, put the route before it. */
      base = query ? g_strndup (api_root, query - api_root) : g_strdup (api_root);
      len = strlen (base);
      while (len > 0 && base[len - 1] == '/')
        base[--len] = '\0';

      url = g_string_new (base);
      g_string_append (url, "/wp/v2/posts?");
      if (query != NULL && query[1] != '\0')
        {
          g_string_append (url, query + 1);
          g_string_append_c (url, '&');
        }
    }

  g_string_append_printf (url, EMBED_QUERY "&page=%u", page);

  if (slug != NULL && *slug != '\0')
    {
      escaped_slug = g_uri_escape_string (slug, NULL, FALSE);
      g_string_append_printf (url, "&slug=%s", escaped_slug);
    }

  return g_string_free (url, FALSE);
}
