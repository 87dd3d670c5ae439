/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-sanitizer"
#include "config.h"

#include "dtx-sanitizer.h"
#include "dtx-html.h"
#include "dtx-uri.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* The sanitiser parses with libxml2 and then writes its own HTML from the
 * tree: only names from the tables below are ever printed, every text node
 * and attribute value is escaped, and no raw-text element (script, style,
 * noscript, textarea, xmp…) or foreign content (svg, math) is emitted. What
 * the browser parses is therefore exactly the tree we checked, whatever
 * nesting tricks the input played on libxml2's parser. */

/* Deeper trees are cut: the walk is recursive and articles never nest so deep. */
#define MAX_DEPTH 200

typedef enum {
  URL_LINK,   /* a href: http(s), mailto, tel */
  URL_IMAGE,  /* img src, poster: http(s), raster data: images */
  URL_MEDIA,  /* srcset candidates, video/audio src, cite: http(s) only */
  URL_FRAME,  /* iframe src: absolute http(s), protocol-relative → https */
} UrlKind;

typedef enum {
  ATTR_PLAIN,
  ATTR_BOOL,
  ATTR_URL_LINK,
  ATTR_URL_MEDIA,
  ATTR_URL_IMAGE,
} AttrKind;

typedef struct {
  GString    *out;
  const char *base_uri;
} Cleaner;

/* Article markup kept as is (attributes filtered). img, source and iframe
 * have their own handlers. */
static const char * const allowed_elements[] = {
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
  "b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "mark",
  "code", "pre", "kbd", "samp", "var", "dfn", "del", "ins", "wbr",
  "blockquote", "q", "cite", "abbr",
  "ul", "ol", "li", "dl", "dt", "dd",
  "a", "figure", "figcaption", "picture",
  "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "col", "colgroup",
  "div", "span", "section", "article", "header", "footer", "aside", "main", "time",
  "video", "audio",
  NULL
};

/* Dropped together with everything inside: active, interactive, metadata or
 * foreign content, and raw-text elements whose text is not article text. */
static const char * const dropped_elements[] = {
  "script", "style", "noscript", "template", "object", "applet", "param",
  "form", "input", "button", "select", "textarea", "option", "optgroup",
  "datalist", "isindex", "output",
  "meta", "base", "link", "title", "head",
  "frame", "frameset", "svg", "math", "canvas", "xml", "xmp", "plaintext",
  "noembed", "noframes", "portal", "dialog",
  NULL
};

static const char * const void_elements[] = {
  "br", "hr", "img", "source", "col", "wbr", NULL
};

/* HTML5 void elements libxml2 (an HTML4 parser) does not know are empty: it
 * nests whatever follows inside them. Their children are really their
 * following siblings, so those are kept; embed and keygen themselves go. */
static const char * const unclosed_void_elements[] = {
  "embed", "source", "track", "wbr", "keygen", NULL
};

/* Share buttons and related-post widgets (Jetpack and friends): page chrome,
 * not article content. */
static const char * const noise_classes[] = {
  "sharedaddy", "jp-relatedposts", "sd-sharing-enabled", "addtoany_share_save_container",
  NULL
};

typedef struct {
  const char *element;   /* NULL: any element */
  const char *attribute;
  AttrKind    kind;
} AttrRule;

static const AttrRule attr_rules[] = {
  { NULL, "title", ATTR_PLAIN },
  { NULL, "lang", ATTR_PLAIN },
  { NULL, "dir", ATTR_PLAIN },
  { NULL, "class", ATTR_PLAIN },
  { NULL, "id", ATTR_PLAIN },
  { NULL, "alt", ATTR_PLAIN },
  { NULL, "width", ATTR_PLAIN },
  { NULL, "height", ATTR_PLAIN },
  { NULL, "colspan", ATTR_PLAIN },
  { NULL, "rowspan", ATTR_PLAIN },
  { NULL, "scope", ATTR_PLAIN },
  { "a", "href", ATTR_URL_LINK },
  { "blockquote", "cite", ATTR_URL_MEDIA },
  { "q", "cite", ATTR_URL_MEDIA },
  { "del", "cite", ATTR_URL_MEDIA },
  { "ins", "cite", ATTR_URL_MEDIA },
  { "time", "datetime", ATTR_PLAIN },
  { "del", "datetime", ATTR_PLAIN },
  { "ins", "datetime", ATTR_PLAIN },
  { "ol", "start", ATTR_PLAIN },
  { "ol", "reversed", ATTR_BOOL },
  { "ol", "type", ATTR_PLAIN },
  { "li", "type", ATTR_PLAIN },
  { "li", "value", ATTR_PLAIN },
  { "col", "span", ATTR_PLAIN },
  { "colgroup", "span", ATTR_PLAIN },
  { "video", "src", ATTR_URL_MEDIA },
  { "video", "poster", ATTR_URL_IMAGE },
  { "audio", "src", ATTR_URL_MEDIA },
};

/* Returns the table's own copy of @name so that only our strings are printed. */
static const char *
lookup (const char * const *table,
        const char  *name)
{
  for (guint i = 0; table[i] != NULL; i++)
    if (g_ascii_strcasecmp (table[i], name) == 0)
      return table[i];
  return NULL;
}

static const AttrRule *
lookup_attr_rule (const char *element,
                  const char *attribute)
{
  for (guint i = 0; i < G_N_ELEMENTS (attr_rules); i++)
    {
      const AttrRule *rule = &attr_rules[i];

      if (rule->element != NULL && strcmp (rule->element, element) != 0)
        continue;
      if (g_ascii_strcasecmp (rule->attribute, attribute) == 0)
        return rule;
    }
  return NULL;
}

/* Escaping: text needs & < >, attribute values (always double-quoted) also ". */
static void
append_escaped (GString    *out,
                const char *s,
                gboolean    in_attribute)
{
  for (const char *p = s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"':
          if (in_attribute)
            g_string_append (out, "&quot;");
          else
            g_string_append_c (out, '"');
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static void
append_attr (GString    *out,
             const char *name,
             const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  append_escaped (out, value, TRUE);
  g_string_append_c (out, '"');
}

/* Attribute value with entities already decoded by libxml2; NULL if absent.
 * Namespaced attributes (xlink:href and the like) never match. */
static char *
get_attr (xmlNode    *node,
          const char *name)
{
  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    {
      if (attr->ns == NULL && g_ascii_strcasecmp ((const char *) attr->name, name) == 0)
        {
          xmlChar *value = xmlNodeGetContent ((xmlNode *) attr);
          char *ret = g_strdup (value != NULL ? (const char *) value : "");

          xmlFree (value);
          return ret;
        }
    }
  return NULL;
}

static gboolean
has_noise_class (xmlNode *node)
{
  g_autofree char *klass = get_attr (node, "class");
  g_auto(GStrv) tokens = NULL;

  if (klass == NULL)
    return FALSE;

  tokens = g_strsplit_set (klass, " \t\n\r\f", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (lookup (noise_classes, tokens[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ URLs */

static gboolean
is_raster_data_uri (const char *url)
{
  static const char * const types[] = {
    "data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif",
    "data:image/webp", "data:image/avif", NULL
  };

  for (guint i = 0; types[i] != NULL; i++)
    {
      gsize len = strlen (types[i]);

      if (g_ascii_strncasecmp (url, types[i], len) == 0 &&
          (url[len] == ';' || url[len] == ','))
        return TRUE;
    }
  return FALSE;
}

/* Returns the URL to print for @raw in a context of @kind, or NULL when it
 * must not be printed at all. */
static char *
sanitize_url (Cleaner    *c,
              const char *raw,
              UrlKind     kind)
{
  g_autofree char *url = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *resolved = NULL;

  if (raw == NULL || (url = dtx_uri_normalise (raw)) == NULL)
    return NULL;

  scheme = dtx_uri_scheme (url);

  if (scheme == NULL)
    {
      if (c->base_uri != NULL)
        resolved = dtx_uri_join (c->base_uri, url,
                                 G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED);
      else if (g_str_has_prefix (url, "//"))
        resolved = g_strconcat ("https:", url, NULL);
      else if (kind == URL_FRAME)
        return NULL;
      else
        return g_steal_pointer (&url); /* stays relative: it has no scheme */

      if (resolved == NULL)
        return NULL;

      /* The base itself might be something odd such as file: */
      g_clear_pointer (&scheme, g_free);
      scheme = dtx_uri_scheme (resolved);
      if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
        return NULL;
      return g_steal_pointer (&resolved);
    }

  if (strcmp (scheme, "http") == 0 || strcmp (scheme, "https") == 0)
    return dtx_uri_join (NULL, url, G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_ENCODED);

  if (kind == URL_LINK && (strcmp (scheme, "mailto") == 0 || strcmp (scheme, "tel") == 0))
    return g_strconcat (scheme, url + strlen (scheme), NULL);

  /* Raster only: SVG images can carry script. */
  if (kind == URL_IMAGE && strcmp (scheme, "data") == 0 && is_raster_data_uri (url))
    return g_strconcat (scheme, url + strlen (scheme), NULL);

  return NULL;
}

static gboolean
is_srcset_descriptor (const char *d)
{
  const char *p = d;

  if (!g_ascii_isdigit (*p) && *p != '.')
    return FALSE;
  while (g_ascii_isdigit (*p) || *p == '.')
    p++;
  return (*p == 'w' || *p == 'x' || *p == 'h') && p[1] == '\0';
}

/* Checks every candidate of a srcset (the HTML "parse a srcset attribute"
 * steps, simplified): URL up to white space, trailing commas end it, then an
 * optional descriptor up to the next comma. Bad candidates are dropped,
 * unknown descriptors too. NULL when nothing is left. */
static char *
sanitize_srcset (Cleaner    *c,
                 const char *raw)
{
  GString *out = g_string_new (NULL);
  const char *p = raw;

  if (raw == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  while (*p != '\0')
    {
      const char *url_start;
      g_autofree char *url = NULL;
      g_autofree char *descriptor = NULL;
      g_autofree char *clean = NULL;

      while (g_ascii_isspace (*p) || *p == ',')
        p++;
      if (*p == '\0')
        break;

      url_start = p;
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      url = g_strndup (url_start, p - url_start);

      if (g_str_has_suffix (url, ","))
        {
          gsize len = strlen (url);

          while (len > 0 && url[len - 1] == ',')
            url[--len] = '\0';
        }
      else
        {
          const char *d_start;
          int parens = 0;

          while (g_ascii_isspace (*p))
            p++;
          d_start = p;
          while (*p != '\0' && (*p != ',' || parens > 0))
            {
              if (*p == '(')
                parens++;
              else if (*p == ')' && parens > 0)
                parens--;
              p++;
            }
          descriptor = g_strstrip (g_strndup (d_start, p - d_start));
        }

      /* Commas inside a URL are fine (browsers read the URL up to white
       * space); the trailing ones were stripped above and GUri adds none. */
      clean = sanitize_url (c, url, URL_MEDIA);
      if (clean == NULL || g_str_has_suffix (clean, ","))
        continue;

      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, clean);
      if (descriptor != NULL && is_srcset_descriptor (descriptor))
        {
          g_string_append_c (out, ' ');
          g_string_append (out, descriptor);
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* -------------------------------------------------------------- elements */

static void clean_children (Cleaner    *c,
                            xmlNode    *parent,
                            const char *context,
                            guint       depth);

static void
clean_text (Cleaner *c,
            xmlNode *node)
{
  if (node->content == NULL)
    return;

  /* No <pre> newline fix-up: libxml2 keeps the newline after <pre> that
   * browsers eat, so printing it back gives the browser the same text. */
  append_escaped (c->out, (const char *) node->content, FALSE);
}

/* First of @names present on @node whose value passes @check. */
static char *
first_lazy_url (Cleaner            *c,
                xmlNode            *node,
                const char * const *names,
                UrlKind             kind)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = get_attr (node, names[i]);
      char *url = sanitize_url (c, value, kind);

      if (url != NULL)
        return url;
    }
  return NULL;
}

static char *
first_srcset (Cleaner            *c,
              xmlNode            *node,
              const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = get_attr (node, names[i]);
      char *srcset = sanitize_srcset (c, value);

      if (srcset != NULL)
        return srcset;
    }
  return NULL;
}

static char *
first_value (xmlNode            *node,
             const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *value = get_attr (node, names[i]);

      if (value != NULL && *value != '\0')
        return value;
      g_free (value);
    }
  return NULL;
}

/* Lazy-load plugins keep the real image in data-* attributes and put a
 * placeholder in src; the real one wins. */
static const char * const lazy_src_attrs[] = {
  "data-lazy-src", "data-src", "data-original", NULL
};
static const char * const src_attrs[] = { "src", NULL };
static const char * const srcset_attrs[] = {
  "data-lazy-srcset", "data-srcset", "srcset", NULL
};
static const char * const sizes_attrs[] = {
  "data-lazy-sizes", "data-sizes", "sizes", NULL
};

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
is_blank_text (xmlNode *node)
{
  if (node->type != XML_TEXT_NODE)
    return FALSE;
  for (const xmlChar *p = node->content; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static xmlNode *
find_img (xmlNode *node,
          guint    depth)
{
  if (depth > 8)
    return NULL;
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      xmlNode *found;

      if (is_element (child, "img"))
        return child;
      if (child->type == XML_ELEMENT_NODE && (found = find_img (child, depth + 1)) != NULL)
        return found;
    }
  return NULL;
}

/* The <img> inside a <noscript> right next to @img: what lazy-load plugins
 * print for browsers without JavaScript, i.e. the real image. */
static xmlNode *
noscript_twin (xmlNode *img)
{
  xmlNode *sibling;

  for (sibling = img->next; sibling != NULL && is_blank_text (sibling); sibling = sibling->next)
    ;
  if (is_element (sibling, "noscript"))
    return find_img (sibling, 0);

  for (sibling = img->prev; sibling != NULL && is_blank_text (sibling); sibling = sibling->prev)
    ;
  if (is_element (sibling, "noscript"))
    return find_img (sibling, 0);

  return NULL;
}

static void
append_common_attrs (Cleaner    *c,
                     xmlNode    *node,
                     const char *element)
{
  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    {
      const AttrRule *rule;
      xmlChar *value;

      if (attr->ns != NULL)
        continue;
      rule = lookup_attr_rule (element, (const char *) attr->name);
      if (rule == NULL)
        continue;

      value = xmlNodeGetContent ((xmlNode *) attr);
      switch (rule->kind)
        {
        case ATTR_PLAIN:
          append_attr (c->out, rule->attribute, value != NULL ? (const char *) value : "");
          break;

        case ATTR_BOOL:
          append_attr (c->out, rule->attribute, "");
          break;

        case ATTR_URL_LINK:
        case ATTR_URL_MEDIA:
        case ATTR_URL_IMAGE:
          {
            UrlKind kind = rule->kind == ATTR_URL_LINK ? URL_LINK :
                           rule->kind == ATTR_URL_IMAGE ? URL_IMAGE : URL_MEDIA;
            g_autofree char *url = sanitize_url (c, (const char *) value, kind);

            if (url != NULL)
              append_attr (c->out, rule->attribute, url);
          }
          break;

        default:
          g_assert_not_reached ();
        }
      xmlFree (value);
    }
}

static void
clean_img (Cleaner *c,
           xmlNode *node)
{
  g_autofree char *src = first_lazy_url (c, node, lazy_src_attrs, URL_IMAGE);
  g_autofree char *srcset = first_srcset (c, node, srcset_attrs);
  g_autofree char *sizes = first_value (node, sizes_attrs);
  gboolean lazy = src != NULL;
  xmlNode *twin;

  if (src == NULL)
    src = first_lazy_url (c, node, src_attrs, URL_IMAGE);

  /* No real image, or only an inline placeholder: the noscript twin has it. */
  if (!lazy && srcset == NULL && (src == NULL || g_str_has_prefix (src, "data:")) &&
      (twin = noscript_twin (node)) != NULL)
    {
      g_autofree char *twin_src = first_lazy_url (c, twin, src_attrs, URL_IMAGE);

      if (twin_src != NULL)
        {
          g_free (src);
          src = g_steal_pointer (&twin_src);
          srcset = first_srcset (c, twin, srcset_attrs);
          if (srcset != NULL)
            {
              g_free (sizes);
              sizes = first_value (twin, sizes_attrs);
            }
        }
    }

  if (src == NULL && srcset == NULL)
    return;

  g_string_append (c->out, "<img");
  if (src != NULL)
    append_attr (c->out, "src", src);
  if (srcset != NULL)
    append_attr (c->out, "srcset", srcset);
  if (srcset != NULL && sizes != NULL)
    append_attr (c->out, "sizes", sizes);
  append_common_attrs (c, node, "img");
  append_attr (c->out, "loading", "lazy");
  g_string_append_c (c->out, '>');
}

static void
clean_source (Cleaner    *c,
              xmlNode    *node,
              const char *context)
{
  g_autofree char *type = get_attr (node, "type");

  if (g_strcmp0 (context, "picture") == 0)
    {
      g_autofree char *srcset = first_srcset (c, node, srcset_attrs);
      g_autofree char *sizes = NULL;
      g_autofree char *media = NULL;

      if (srcset == NULL)
        return;
      sizes = first_value (node, sizes_attrs);
      media = get_attr (node, "media");

      g_string_append (c->out, "<source");
      append_attr (c->out, "srcset", srcset);
      if (sizes != NULL)
        append_attr (c->out, "sizes", sizes);
      if (media != NULL)
        append_attr (c->out, "media", media);
      if (type != NULL)
        append_attr (c->out, "type", type);
      g_string_append_c (c->out, '>');
    }
  else if (g_strcmp0 (context, "video") == 0 || g_strcmp0 (context, "audio") == 0)
    {
      g_autofree char *raw = first_value (node, lazy_src_attrs);
      g_autofree char *src = NULL;

      if (raw == NULL)
        raw = get_attr (node, "src");
      src = sanitize_url (c, raw, URL_MEDIA);
      if (src == NULL)
        return;

      g_string_append (c->out, "<source");
      append_attr (c->out, "src", src);
      if (type != NULL)
        append_attr (c->out, "type", type);
      g_string_append_c (c->out, '>');
    }
}

static gboolean
has_prefix_nocase (const char *s,
                   const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

static gboolean
is_id_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '-' || ch == '_';
}

/* Only players we trust to be a video and nothing else. The URL is read as
 * the browser will resolve it (backslashes are slashes in http(s) URLs,
 * percent-encoded dots are dots, dot segments go), so "embed/x\..\..\redirect"
 * cannot reach another page of the host. What comes back is rebuilt from
 * the checked parts: https, the host, the player path and a plain id, and a
 * query only of harmless characters. Returns NULL when not a player. */
static char *
embeddable_player (const char *url)
{
  static const struct { const char *host; const char *path; } players[] = {
    { "www.youtube.com", "/embed/" },
    { "www.youtube-nocookie.com", "/embed/" },
    { "player.vimeo.com", "/video/" },
  };
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;
  g_autofree char *host = NULL;
  g_autofree char *resolved = NULL;
  const char *rest, *p, *query = NULL;
  gsize host_len, query_len = 0;

  if (has_prefix_nocase (url, "https://"))
    rest = url + strlen ("https://");
  else if (has_prefix_nocase (url, "http://"))
    rest = url + strlen ("http://");
  else
    return NULL;

  /* The authority ends at the first slash, backslash, ? or #. */
  host_len = strcspn (rest, "/\\?#");
  host = g_ascii_strdown (rest, host_len);
  p = rest + host_len;

  /* The path, backslashes as slashes and %2e as a dot. */
  for (; *p != '\0' && *p != '?' && *p != '#'; p++)
    {
      if (*p == '\\')
        g_string_append_c (path, '/');
      else if (*p == '%' && p[1] == '2' && (p[2] == 'e' || p[2] == 'E'))
        {
          g_string_append_c (path, '.');
          p += 2;
        }
      else
        g_string_append_c (path, *p);
    }
  if (*p == '?')
    {
      query = p + 1;
      query_len = strcspn (query, "#");
    }

  /* Dot segments removed as RFC 3986 and the URL Standard do. */
  parts = g_strsplit (path->str, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (g_str_equal (parts[i], ".."))
        {
          if (segments->len > 0)
            g_ptr_array_remove_index (segments, segments->len - 1);
        }
      else if (!g_str_equal (parts[i], ".") && (i > 0 || *parts[i] != '\0'))
        g_ptr_array_add (segments, g_strdup (parts[i]));
    }
  g_string_truncate (path, 0);
  for (guint i = 0; i < segments->len; i++)
    g_string_append_printf (path, "/%s", (const char *)g_ptr_array_index (segments, i));

  for (guint i = 0; i < G_N_ELEMENTS (players); i++)
    {
      const char *id;

      if (!g_str_equal (host, players[i].host) || !g_str_has_prefix (path->str, players[i].path))
        continue;
      id = path->str + strlen (players[i].path);
      if (*id == '\0')
        return NULL;
      for (const char *c = id; *c != '\0'; c++)
        if (!is_id_char (*c))
          return NULL;

      resolved = g_strconcat ("https://", players[i].host, players[i].path, id, NULL);
      /* Player options (?start=30&feature=oembed) only when plain. */
      if (query != NULL && query_len > 0)
        {
          gboolean plain = TRUE;

          for (gsize j = 0; j < query_len && plain; j++)
            plain = is_id_char (query[j]) || strchr ("=&.%+,", query[j]) != NULL;
          if (plain)
            {
              g_autofree char *with_query = g_strdup_printf ("%s?%.*s", resolved, (int)query_len, query);
              g_free (resolved);
              resolved = g_steal_pointer (&with_query);
            }
        }
      return g_steal_pointer (&resolved);
    }

  return NULL;
}

static void
clean_iframe (Cleaner *c,
              xmlNode *node)
{
  g_autofree char *raw = get_attr (node, "src");
  g_autofree char *src = NULL;
  g_autofree char *player = NULL;

  /* WP Rocket and friends park the player in data-lazy-src behind about:blank. */
  if (raw == NULL || *g_strstrip (raw) == '\0' || g_ascii_strcasecmp (raw, "about:blank") == 0)
    {
      g_free (raw);
      raw = first_value (node, lazy_src_attrs);
    }

  src = sanitize_url (c, raw, URL_FRAME);
  if (src == NULL || !dtx_uri_is_http (src))
    return;

  player = embeddable_player (src);
  if (player != NULL)
    {
      g_autofree char *width = get_attr (node, "width");
      g_autofree char *height = get_attr (node, "height");
      g_autofree char *title = get_attr (node, "title");
      g_autofree char *fullscreen = get_attr (node, "allowfullscreen");

      g_string_append (c->out, "<iframe");
      append_attr (c->out, "src", player);
      if (width != NULL)
        append_attr (c->out, "width", width);
      if (height != NULL)
        append_attr (c->out, "height", height);
      if (title != NULL)
        append_attr (c->out, "title", title);
      if (fullscreen != NULL)
        append_attr (c->out, "allowfullscreen", "");
      append_attr (c->out, "sandbox", "allow-scripts allow-same-origin");
      append_attr (c->out, "loading", "lazy");
      g_string_append (c->out, "></iframe>");
    }
  else
    {
      /* Unknown embeds stay reachable, as a plain link. */
      g_string_append (c->out, "<p><a");
      append_attr (c->out, "href", src);
      g_string_append_c (c->out, '>');
      append_escaped (c->out, src, FALSE);
      g_string_append (c->out, "</a></p>");
    }
}

static void
clean_element (Cleaner    *c,
               xmlNode    *node,
               const char *context,
               guint       depth)
{
  const char *name = (const char *) node->name;
  const char *element;

  if (depth > MAX_DEPTH || name == NULL)
    return;

  /* The document shell (ours, or stray ones in the input): contents only. */
  if (g_ascii_strcasecmp (name, "html") == 0 || g_ascii_strcasecmp (name, "body") == 0)
    {
      clean_children (c, node, context, depth + 1);
      return;
    }

  if (lookup (unclosed_void_elements, name) != NULL)
    {
      if (g_ascii_strcasecmp (name, "source") == 0)
        clean_source (c, node, context);
      else if (g_ascii_strcasecmp (name, "wbr") == 0)
        g_string_append (c->out, "<wbr>");
      clean_children (c, node, context, depth + 1);
      return;
    }

  if (lookup (dropped_elements, name) != NULL)
    return;

  if (g_ascii_strcasecmp (name, "img") == 0)
    {
      clean_img (c, node);
      return;
    }

  if (g_ascii_strcasecmp (name, "iframe") == 0)
    {
      clean_iframe (c, node);
      return;
    }

  element = lookup (allowed_elements, name);
  if (element == NULL)
    {
      /* font, center, custom tags…: harmless wrappers, keep what is inside. */
      clean_children (c, node, context, depth + 1);
      return;
    }

  if (has_noise_class (node))
    return;

  g_string_append_c (c->out, '<');
  g_string_append (c->out, element);
  append_common_attrs (c, node, element);
  if (strcmp (element, "video") == 0 || strcmp (element, "audio") == 0)
    append_attr (c->out, "controls", "");
  g_string_append_c (c->out, '>');

  /* No children in libxml2's tree (the unclosed ones are handled above). */
  if (lookup (void_elements, element) != NULL)
    return;

  clean_children (c, node, element, depth + 1);

  g_string_append (c->out, "</");
  g_string_append (c->out, element);
  g_string_append_c (c->out, '>');
}

static void
clean_children (Cleaner    *c,
                xmlNode    *parent,
                const char *context,
                guint       depth)
{
  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    {
      switch (node->type)
        {
        case XML_TEXT_NODE:
          clean_text (c, node);
          break;

        case XML_ELEMENT_NODE:
          clean_element (c, node, context, depth);
          break;

        default:
          /* Comments, processing instructions, CDATA (script bodies), DTDs. */
          break;
        }
    }
}

/* --------------------------------------------------------------- parsing */

/* --------------------------------------------------------- bounding */

/* libxml2's HTML parser checks each attribute of a tag against all earlier
 * ones, and walks its stack of open elements for end tags: time grows with
 * the square of the attributes on one tag (40,000 took 9 s) and of the
 * nesting. This linear pass keeps the first DTX_SANITIZER_MAX_ATTRIBUTES
 * attributes of each tag, drops start tags (and their end tags) nested
 * deeper than DTX_SANITIZER_MAX_NESTING and end tags that close nothing, and
 * keeps DTX_SANITIZER_MAX_TAGS tags in all; the text of dropped tags stays. */

static gboolean
is_name_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '-' || ch == '_' || ch == ':' || ch == '.';
}

static gboolean
is_space (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

/* Elements that never hold others, or that libxml2 closes at the next
 * sibling: they do not deepen its stack. */
static const char * const unnested[] = {
  "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
  "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th",
  "option", NULL
};

/* Their content is text up to their end tag; always kept, so that a script's
 * body never turns into visible text. */
static const char * const raw_text[] = {
  "script", "style", "textarea", "title", "xmp", NULL
};

static gboolean
name_in (const char          *name,
         gsize                len,
         const char * const  *table)
{
  char first = g_ascii_tolower (name[0]);

  for (guint i = 0; table[i] != NULL; i++)
    if (table[i][0] == first && strlen (table[i]) == len && g_ascii_strncasecmp (name, table[i], len) == 0)
      return TRUE;
  return FALSE;
}

/* Copies from p to just past the first case-insensitive match of needle
 * (or to the end); returns where it stopped. */
static const char *
copy_through (GString    *out,
              const char *p,
              const char *needle)
{
  gsize n = strlen (needle);
  const char *q = p;

  while (*q != '\0' && g_ascii_strncasecmp (q, needle, n) != 0)
    q++;
  if (*q != '\0')
    q += n;
  g_string_append_len (out, p, q - p);
  return q;
}

/* Reads one attribute at p (past white space); returns its end. */
static const char *
skip_attribute (const char *p)
{
  const char *q = p;

  while (*q != '\0' && !is_space (*q) && *q != '>' && *q != '=' && !(*q == '/' && q[1] == '>'))
    q++;
  if (q == p && *q == '/')
    q++;  /* a stray slash */
  while (is_space (*q))
    q++;
  if (*q != '=')
    return q;
  q++;
  while (is_space (*q))
    q++;
  if (*q == '"' || *q == '\'')
    {
      const char *close = strchr (q + 1, *q);

      return close ? close + 1 : q + strlen (q);
    }
  while (*q != '\0' && !is_space (*q) && *q != '>')
    q++;
  return q;
}

char *
dtx_sanitizer_bound_markup (const char *html,
                            gsize      *n_dropped)
{
  GString *out;
  const char *p = html;
  guint depth = 0;   /* open start tags that deepen the stack */
  guint skipped = 0; /* start tags dropped for depth, awaiting their end tag */
  guint n_tags = 0;
  gsize dropped = 0;

  if (html == NULL)
    html = p = "";
  out = g_string_sized_new (strlen (html) + 1);

  while (*p != '\0')
    {
      const char *lt = strchr (p, '<');
      const char *name;
      gsize name_len;
      gboolean end_tag;

      if (lt == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, lt - p);
      p = lt;

      if (strncmp (p, "<!--", 4) == 0)
        {
          p = copy_through (out, p, "-->");
          continue;
        }
      if (p[1] == '!' || p[1] == '?')
        {
          p = copy_through (out, p, ">");
          continue;
        }
      end_tag = p[1] == '/';
      name = p + (end_tag ? 2 : 1);
      if (!g_ascii_isalpha (*name))
        {
          g_string_append_c (out, '<');  /* text, as browsers read it */
          p++;
          continue;
        }
      for (name_len = 0; is_name_char (name[name_len]); name_len++)
        ;

      if (end_tag)
        {
          const char *gt = strchr (name, '>');
          const char *stop = gt ? gt + 1 : name + strlen (name);
          gboolean deepens = !name_in (name, name_len, unnested) && !name_in (name, name_len, raw_text);

          if (deepens && skipped > 0)
            {
              skipped--;
              dropped++;
            }
          else if ((deepens && depth == 0) || n_tags >= DTX_SANITIZER_MAX_TAGS)
            dropped++;  /* closes nothing, or past the budget */
          else
            {
              if (deepens)
                depth--;
              n_tags++;
              g_string_append_len (out, p, stop - p);
            }
          p = stop;
          continue;
        }

      /* A start tag: its name, then each attribute up to the limit. */
      {
        gsize start = out->len;
        gboolean self_closing = FALSE;
        gboolean deepens;
        gboolean kept;
        guint n_attrs = 0;
        const char *q = name + name_len;

        g_string_append_len (out, p, q - p);
        for (;;)
          {
            const char *attr_end;

            while (is_space (*q))
              q++;
            if (*q == '\0')
              break;
            if (*q == '>')
              {
                q++;
                break;
              }
            if (q[0] == '/' && q[1] == '>')
              {
                self_closing = TRUE;
                q += 2;
                break;
              }
            attr_end = skip_attribute (q);
            if (n_attrs < DTX_SANITIZER_MAX_ATTRIBUTES)
              {
                g_string_append_c (out, ' ');
                g_string_append_len (out, q, attr_end - q);
              }
            else
              dropped++;
            n_attrs++;
            q = attr_end;
          }
        g_string_append (out, self_closing ? "/>" : ">");

        deepens = !self_closing && !name_in (name, name_len, unnested) && !name_in (name, name_len, raw_text);
        kept = n_tags < DTX_SANITIZER_MAX_TAGS;
        if (!kept)
          dropped++;
        else if (deepens && depth >= DTX_SANITIZER_MAX_NESTING)
          {
            skipped++;
            dropped++;
            kept = FALSE;
          }
        else
          {
            if (deepens)
              depth++;
            n_tags++;
          }
        if (!kept)
          g_string_truncate (out, start);
        p = q;

        /* Raw text: "<" inside a script or style is not a tag. Past the
         * budget the body goes with its tag. */
        if (name_in (name, name_len, raw_text))
          {
            g_autofree char *close = g_strdup_printf ("</%.*s", (int) name_len, name);
            const char *r = p;
            gsize n = strlen (close);

            while (*r != '\0' && g_ascii_strncasecmp (r, close, n) != 0)
              r++;
            if (kept)
              g_string_append_len (out, p, r - p);
            p = r;
          }
      }
    }

  if (n_dropped != NULL)
    *n_dropped = dropped;
  return g_string_free (out, FALSE);
}

/* Parses @html as the content of <body>. The explicit <html><body> keeps
 * libxml2 from wrapping leading text in an implied <p>; the charset in the
 * input is ignored because we hand over valid UTF-8. RECOVER makes a script
 * end at </script> only, as in browsers, not at the first "</x". */
static htmlDocPtr
parse_fragment (const char *html)
{
  g_autofree char *valid = g_utf8_make_valid (html, -1);
  g_autofree char *bounded = dtx_sanitizer_bound_markup (valid, NULL);
  g_autofree char *doc = g_strconcat ("<html><body>", bounded, NULL);

  return dtx_html_read (doc, strlen (doc), "UTF-8");
}

char *
dtx_sanitizer_clean (const char *html,
                     const char *base_uri)
{
  Cleaner c = { 0 };
  htmlDocPtr doc;

  if (html == NULL || *html == '\0')
    return g_strdup ("");

  doc = parse_fragment (html);
  if (doc == NULL)
    return g_strdup ("");

  c.out = g_string_new (NULL);
  c.base_uri = (base_uri != NULL && *base_uri != '\0') ? base_uri : NULL;

  /* Whole document, not just <body>: after a stray </html> libxml2 puts the
   * rest of the input in a second root. */
  clean_children (&c, (xmlNode *) doc, NULL, 0);

  xmlFreeDoc (doc);

  /* libxml2 drops invalid character references; this is a last guard. */
  if (!g_utf8_validate (c.out->str, c.out->len, NULL))
    {
      char *valid = g_utf8_make_valid (c.out->str, c.out->len);

      g_string_free (c.out, TRUE);
      return valid;
    }
  return g_string_free (c.out, FALSE);
}

/* ------------------------------------------------------------------ text */

static const char * const text_skipped[] = {
  "script", "style", "noscript", "template", "head", "title", "textarea",
  "select", "object", "iframe", "svg", "math", NULL
};

/* Elements whose edges separate words ("<p>a</p><p>b</p>" is "a b"). */
static const char * const text_breaks[] = {
  "br", "p", "div", "li", "dt", "dd", "tr", "td", "th", "h1", "h2", "h3",
  "h4", "h5", "h6", "blockquote", "pre", "figure", "figcaption", "hr",
  "section", "article", "header", "footer", "aside", "ul", "ol", "table", NULL
};

static void
collect_text (GString *out,
              xmlNode *parent,
              guint    depth)
{
  if (depth > MAX_DEPTH)
    return;

  for (xmlNode *node = parent->children; node != NULL; node = node->next)
    {
      if (node->type == XML_TEXT_NODE && node->content != NULL)
        {
          g_string_append (out, (const char *) node->content);
        }
      else if (node->type == XML_ELEMENT_NODE && node->name != NULL)
        {
          gboolean is_break;

          if (lookup (text_skipped, (const char *) node->name) != NULL)
            continue;
          is_break = lookup (text_breaks, (const char *) node->name) != NULL;
          if (is_break)
            g_string_append_c (out, ' ');
          collect_text (out, node, depth + 1);
          if (is_break)
            g_string_append_c (out, ' ');
        }
    }
}

char *
dtx_sanitizer_to_text (const char *html)
{
  g_autoptr(GString) raw = g_string_new (NULL);
  GString *out;
  htmlDocPtr doc;
  gboolean pending_space = FALSE;

  if (html == NULL || *html == '\0')
    return g_strdup ("");

  /* Titles, names and categories are mostly plain text: with no tag and no
   * entity there is nothing for the parser to do but cost a document each
   * (a 2,000-item feed has 8,000 of them). */
  if (strpbrk (html, "<&") == NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (html, -1);

      g_string_append (raw, valid);
    }
  else
    {
      doc = parse_fragment (html);
      if (doc == NULL)
        return g_strdup ("");
      collect_text (raw, (xmlNode *) doc, 0);
      xmlFreeDoc (doc);
    }

  /* Collapse every run of white space (no-break spaces included) to one
   * space, and trim. */
  out = g_string_sized_new (raw->len);
  for (const char *p = raw->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_isspace (ch) || ch == 0x00A0 || ch == 0x202F)
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, ch);
    }

  return g_string_free (out, FALSE);
}
