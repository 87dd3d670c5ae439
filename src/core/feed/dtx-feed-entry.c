/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <string.h>

#include "dtx-feed-private.h"
#include "dtx-html.h"
#include "dtx-sanitizer.h"
#include "dtx-uri.h"

/* Characters of content text used as an excerpt when a feed has none. */
#define EXCERPT_CHARS 200
/* A title made from the text: this many words at most. */
#define TITLE_WORDS   10
#define TITLE_CHARS   80
/* Categories kept in a list until there are this many, then a set too. */
#define CATEGORY_SET_MIN 8

void
dtx_feed_entry_clear (DtxFeedEntry *entry)
{
  g_clear_pointer (&entry->guid, g_free);
  g_clear_pointer (&entry->link, g_free);
  g_clear_pointer (&entry->title, g_free);
  g_clear_pointer (&entry->excerpt, g_free);
  g_clear_pointer (&entry->content, g_free);
  g_clear_pointer (&entry->content_base, g_free);
  g_clear_pointer (&entry->author, g_free);
  g_clear_pointer (&entry->date, g_date_time_unref);
  g_clear_pointer (&entry->image, g_free);
  g_clear_pointer (&entry->category_set, g_hash_table_unref);
  g_clear_pointer (&entry->categories, g_ptr_array_unref);
}

void
dtx_feed_take_str (char **dest,
                   char  *value)
{
  g_free (*dest);
  *dest = value;
}

static char *
nonempty_or_free (char *s)
{
  if (s != NULL && *s == '\0')
    g_clear_pointer (&s, g_free);
  return s;
}

/* Collapses white space (no-break spaces too) and trims, as the
 * sanitiser's text does; for text with no markup in it. */
static char *
collapse_space (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending = FALSE;

  for (const char *p = text; *p != '\0'; )
    {
      gunichar ch;

      /* ASCII, the usual case, without decoding. */
      if ((guchar) *p < 0x80)
        {
          if (g_ascii_isspace (*p))
            pending = out->len > 0;
          else
            {
              if (pending)
                g_string_append_c (out, ' ');
              pending = FALSE;
              g_string_append_c (out, *p);
            }
          p++;
          continue;
        }
      ch = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      if (g_unichar_isspace (ch) || ch == 0x00A0 || ch == 0x202F)
        {
          pending = out->len > 0;
          continue;
        }
      if (pending)
        g_string_append_c (out, ' ');
      pending = FALSE;
      g_string_append_unichar (out, ch);
    }
  return nonempty_or_free (g_string_free (out, FALSE));
}

char *
dtx_feed_html_to_text (const char *html)
{
  if (html == NULL)
    return NULL;
  /* Most titles, excerpts and categories carry no markup: no HTML parse
   * for them (one item with 60,000 categories must stay fast). Text from
   * the XML reader is valid UTF-8 already. */
  if (strchr (html, '<') == NULL)
    {
      g_autofree char *decoded = NULL;

      if (strchr (html, '&') == NULL)
        return collapse_space (html);
      if ((decoded = dtx_html_decode_simple (html)) != NULL)
        return collapse_space (decoded);
    }
  return nonempty_or_free (dtx_sanitizer_to_text (html));
}

char *
dtx_feed_plain_to_text (const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return NULL;
  if (strpbrk (text, "<&") == NULL)
    return collapse_space (text);
  /* Plain text must not lose a literal '<' or '&': escaped, the sanitiser
   * only collapses white space. */
  escaped = g_markup_escape_text (text, -1);
  return dtx_feed_html_to_text (escaped);
}

char *
dtx_feed_text_to_html (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_auto(GStrv) paragraphs = g_strsplit (escaped, "\n\n", -1);
  GString *html = g_string_new (NULL);

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autofree char *p = g_strstrip (g_strdup (paragraphs[i]));
      g_auto(GStrv) lines = NULL;
      g_autofree char *joined = NULL;

      if (*p == '\0')
        continue;
      lines = g_strsplit (p, "\n", -1);
      joined = g_strjoinv ("<br>", lines);
      g_string_append_printf (html, "<p>%s</p>", joined);
    }

  return nonempty_or_free (g_string_free (html, FALSE));
}

char *
dtx_feed_person_name (const char *text)
{
  g_autofree char *plain = dtx_feed_html_to_text (text);
  g_autofree char *outside = NULL;
  g_autofree char *inside = NULL;
  const char *open, *close;

  if (plain == NULL)
    return NULL;
  open = strchr (plain, '(');
  close = open ? strrchr (open, ')') : NULL;
  if (open == NULL || close == NULL)
    {
      /* "<jane@example.com>" around an address, or "Jane <jane@…>". */
      const char *lt = strchr (plain, '<');
      if (lt != NULL && lt > plain && strchr (lt, '@') != NULL)
        return nonempty_or_free (g_strstrip (g_strndup (plain, lt - plain)));
      return g_steal_pointer (&plain);
    }

  inside = g_strstrip (g_strndup (open + 1, close - open - 1));
  {
    g_autofree char *before = g_strndup (plain, open - plain);
    outside = g_strstrip (g_strconcat (before, close + 1, NULL));
  }

  /* The part that is not an address is the name. */
  if (*inside != '\0' && strchr (inside, '@') == NULL && (strchr (outside, '@') != NULL || *outside == '\0'))
    return g_steal_pointer (&inside);
  if (*outside != '\0' && strchr (outside, '@') == NULL)
    return g_steal_pointer (&outside);
  return g_steal_pointer (&plain);
}

void
dtx_feed_entry_add_category (DtxFeedEntry *entry,
                             char         *name)
{
  if (name == NULL)
    return;
  if (entry->categories == NULL)
    entry->categories = g_ptr_array_new_with_free_func (g_free);

  if (entry->category_set != NULL)
    {
      if (g_hash_table_contains (entry->category_set, name))
        {
          g_free (name);
          return;
        }
    }
  else
    {
      for (guint i = 0; i < entry->categories->len; i++)
        if (strcmp (g_ptr_array_index (entry->categories, i), name) == 0)
          {
            g_free (name);
            return;
          }
      if (entry->categories->len + 1 >= CATEGORY_SET_MIN)
        {
          entry->category_set = g_hash_table_new (g_str_hash, g_str_equal);
          for (guint i = 0; i < entry->categories->len; i++)
            g_hash_table_add (entry->category_set, g_ptr_array_index (entry->categories, i));
        }
    }

  g_ptr_array_add (entry->categories, name);
  if (entry->category_set != NULL)
    g_hash_table_add (entry->category_set, name);
}

/* ---- Finishing ---------------------------------------------------------- */

/* WordPress guids are "https://site/?p=501": the post id, which matches
 * what the REST API reports for the same post. */
static gint64
wordpress_post_id (const char *guid)
{
  const char *p;

  if (guid == NULL)
    return 0;

  for (p = strstr (guid, "p="); p != NULL; p = strstr (p + 1, "p="))
    {
      const char *digits = p + 2;
      const char *end = digits;
      gint64 id;

      if (p == guid || (p[-1] != '?' && p[-1] != '&'))
        continue;
      while (g_ascii_isdigit (*end))
        end++;
      if (end == digits || end - digits > 18 || (*end != '\0' && *end != '&' && *end != '#'))
        continue;
      id = g_ascii_strtoll (digits, NULL, 10);
      if (id > 0)
        return id;
    }

  return 0;
}

/* A stable positive 63-bit id for an item that has no numeric one. */
static gint64
hash_id (const char *key)
{
  guint64 hash = 14695981039346656037ULL; /* FNV-1a */
  gint64 id;

  for (const guchar *p = (const guchar *) key; *p; p++)
    {
      hash ^= *p;
      hash *= 1099511628211ULL;
    }

  id = (gint64) (hash & G_MAXINT64);
  return id != 0 ? id : 1;
}

static char *
cut_text (const char *text,
          guint       max_chars,
          guint       max_words)
{
  const char *cut = text;
  guint words = 0, chars = 0;
  const char *last_space = NULL;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), chars++)
    {
      if (chars >= max_chars)
        {
          cut = p;
          break;
        }
      if (*p == ' ')
        {
          last_space = p;
          if (++words >= max_words)
            {
              cut = p;
              break;
            }
        }
      cut = g_utf8_next_char (p);
    }

  if (*cut == '\0')
    return g_strdup (text);
  /* End on a word boundary when there is one not too far back. */
  if (*cut != ' ' && last_space != NULL && cut - last_space < 40)
    cut = last_space;
  {
    g_autofree char *head = g_strndup (text, cut - text);
    return g_strconcat (g_strchomp (head), "…", NULL);
  }
}

/* The part of an absolute URL a relative reference keeps: up to the last
 * '/' before any query or fragment. */
static gsize
directory_length (const char *url)
{
  gsize end = strcspn (url, "?#");
  const char *scheme_end = strstr (url, "://");
  gsize min = scheme_end ? (gsize) (scheme_end - url) + 3 : 0;

  while (end > min && url[end - 1] != '/')
    end--;
  return end;
}

static gboolean
same_directory (const char *a,
                const char *b)
{
  gsize len;

  if (a == NULL || b == NULL)
    return a == b;
  /* A cheap string test: the same directory resolves every relative
   * reference the same way. */
  len = directory_length (a);
  return len > 0 && len == directory_length (b) && strncmp (a, b, len) == 0;
}

void
dtx_feed_entry_finish (DtxFeedEntry *entry,
                       GPtrArray    *articles)
{
  DtxArticle *article;
  gint64 id;

  if (entry->excerpt == NULL && entry->content != NULL)
    {
      g_autofree char *text = dtx_feed_html_to_text (entry->content);

      if (text != NULL)
        entry->excerpt = cut_text (text, EXCERPT_CHARS, G_MAXUINT);
    }

  /* Neither title nor link: the first words say what it is. An entry with
   * nothing to show (an id at most) is dropped; one with only a date or an
   * author is kept, as forgiving readers keep it. */
  if (entry->title == NULL && entry->link == NULL)
    {
      if (entry->excerpt != NULL)
        entry->title = cut_text (entry->excerpt, TITLE_CHARS, TITLE_WORDS);
      else if (entry->date == NULL && entry->author == NULL &&
               entry->image == NULL && entry->content == NULL &&
               (entry->categories == NULL || entry->categories->len == 0))
        return;
    }

  /* The reader resolves the body against the article's link: make what
   * the feed meant to resolve elsewhere (xml:base, the feed URL) absolute
   * now. */
  if (entry->content != NULL && entry->content_base != NULL &&
      !same_directory (entry->content_base, entry->link))
    {
      char *absolute = dtx_html_absolutize (entry->content, entry->content_base);

      if (absolute != NULL)
        dtx_feed_take_str (&entry->content, absolute);
    }

  /* The formats resolve the images they name; one from the body resolves
   * as the body does. */
  if (entry->image == NULL)
    {
      g_autofree char *img = dtx_html_first_image (entry->content);

      entry->image = dtx_uri_resolve (entry->content_base ? entry->content_base : entry->link, img);
    }

  id = wordpress_post_id (entry->guid);
  if (id == 0)
    id = wordpress_post_id (entry->link);
  if (id == 0 && (entry->link != NULL || entry->guid != NULL))
    id = hash_id (entry->link ? entry->link : entry->guid);
  if (id == 0)
    {
      /* No link, no id: what it says and when. */
      g_autofree char *date = entry->date ? g_date_time_format_iso8601 (entry->date) : NULL;
      g_autofree char *key = g_strjoin ("\n", entry->title ? entry->title : "", date ? date : "",
                                        entry->excerpt ? entry->excerpt : "",
                                        entry->author ? entry->author : "",
                                        entry->image ? entry->image : "",
                                        entry->categories && entry->categories->len
                                          ? (const char *) g_ptr_array_index (entry->categories, 0) : "",
                                        NULL);
      id = hash_id (key);
    }

  article = dtx_article_new ();
  dtx_article_set_id (article, id);
  dtx_article_set_link (article, entry->link);
  dtx_article_set_title (article, entry->title);
  dtx_article_set_excerpt (article, entry->excerpt);
  dtx_article_set_content (article, entry->content);
  dtx_article_set_author (article, entry->author);
  dtx_article_set_date (article, entry->date);
  dtx_article_set_image_url (article, entry->image);
  if (entry->categories != NULL && entry->categories->len > 0)
    {
      g_ptr_array_add (entry->categories, NULL);
      dtx_article_set_categories (article, (const char * const *) entry->categories->pdata);
      g_ptr_array_remove_index (entry->categories, entry->categories->len - 1);
    }

  g_ptr_array_add (articles, article);
}

/* ---- XML ------------------------------------------------------------------ */

/* Prefixes feeds use without declaring them. */
static const struct { const char *prefix; const char *ns; } known_prefixes[] = {
  { "content", DTX_NS_CONTENT }, { "dc", DTX_NS_DC }, { "media", DTX_NS_MEDIA },
  { "itunes", DTX_NS_ITUNES }, { "atom", DTX_NS_ATOM }, { "rdf", DTX_NS_RDF },
};

static gboolean
ns_matches (const char *href,
            const char *ns)
{
  if (strcmp (href, ns) == 0)
    return TRUE;
  /* Media RSS is also written without its trailing slash. */
  return strcmp (ns, DTX_NS_MEDIA) == 0 && strcmp (href, "http://search.yahoo.com/mrss") == 0;
}

gboolean
dtx_feed_in_ns (xmlNode    *node,
                const char *ns)
{
  if (ns == NULL)
    return node->ns == NULL;
  return node->ns != NULL && node->ns->href != NULL && ns_matches ((const char *) node->ns->href, ns);
}

gboolean
dtx_feed_is_element (xmlNode    *node,
                     const char *ns,
                     const char *name)
{
  const char *node_name = (const char *) node->name;
  const char *colon;

  if (node->type != XML_ELEMENT_NODE)
    return FALSE;
  /* Called for every child against every name a format knows: the first
   * letter settles most. */
  if (node_name[0] == name[0] && strcmp (node_name, name) == 0)
    return dtx_feed_in_ns (node, ns);

  /* An undeclared prefix leaves "prefix:name" as the name. */
  if (ns != NULL && node->ns == NULL && (colon = strchr (node_name, ':')) != NULL &&
      strcmp (colon + 1, name) == 0)
    for (guint i = 0; i < G_N_ELEMENTS (known_prefixes); i++)
      if (strncmp (node_name, known_prefixes[i].prefix, colon - node_name) == 0 &&
          known_prefixes[i].prefix[colon - node_name] == '\0')
        return strcmp (known_prefixes[i].ns, ns) == 0;
  return FALSE;
}

gboolean
dtx_feed_is_rss (xmlNode    *node,
                 const char *name)
{
  if (node->type != XML_ELEMENT_NODE || node->name[0] != (xmlChar) name[0] ||
      strcmp ((const char *) node->name, name) != 0)
    return FALSE;
  return node->ns == NULL ||
         dtx_feed_in_ns (node, DTX_NS_RSS10) || dtx_feed_in_ns (node, DTX_NS_RSS090) ||
         dtx_feed_in_ns (node, DTX_NS_USERLAND) || dtx_feed_in_ns (node, DTX_NS_USERLAND2);
}

gboolean
dtx_feed_is_atom (xmlNode    *node,
                  const char *name)
{
  return dtx_feed_is_element (node, DTX_NS_ATOM, name) || dtx_feed_is_element (node, DTX_NS_ATOM03, name);
}

xmlNode *
dtx_feed_first_child (xmlNode    *parent,
                      gboolean  (*match) (xmlNode *, const char *),
                      const char *name)
{
  if (parent == NULL)
    return NULL;
  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    if (match (child, name))
      return child;
  return NULL;
}

static void
collect_text (xmlNode *node,
              GString *out)
{
  for (; node != NULL; node = node->next)
    {
      switch (node->type)
        {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (node->content != NULL)
            g_string_append (out, (const char *) node->content);
          break;
        case XML_ELEMENT_NODE:
          collect_text (node->children, out);
          break;
        case XML_ENTITY_REF_NODE:
          {
            /* The parser substitutes no entity (no XXE, no billion
             * laughs). An internal one declared as plain text is put in
             * here, within a budget as large as the document: no external
             * entity, no nesting, no blow-up. */
            xmlEntity *entity = (xmlEntity *) node->children;
            gsize *budget = node->doc ? node->doc->_private : NULL;
            gsize len;

            if (entity == NULL || entity->type != XML_ENTITY_DECL ||
                entity->etype != XML_INTERNAL_GENERAL_ENTITY || entity->content == NULL ||
                budget == NULL || strpbrk ((const char *) entity->content, "&<%") != NULL)
              break;
            len = strlen ((const char *) entity->content);
            if (len <= *budget)
              {
                g_string_append (out, (const char *) entity->content);
                *budget -= len;
              }
          }
          break;
        default:
          break;
        }
    }
}

char *
dtx_feed_node_text (xmlNode *node)
{
  GString *out;

  if (node == NULL)
    return NULL;
  /* The usual case, one text node: no GString growth. */
  if (node->children != NULL && node->children->next == NULL &&
      (node->children->type == XML_TEXT_NODE || node->children->type == XML_CDATA_SECTION_NODE))
    {
      const char *s = (const char *) node->children->content;
      const char *end;

      if (s == NULL)
        return NULL;
      while (g_ascii_isspace (*s))
        s++;
      end = s + strlen (s);
      while (end > s && g_ascii_isspace (end[-1]))
        end--;
      return end > s ? g_strndup (s, end - s) : NULL;
    }
  out = g_string_new (NULL);
  collect_text (node->children, out);
  g_strstrip (out->str);
  return nonempty_or_free (g_string_free (out, FALSE));
}

char *
dtx_feed_node_html (xmlNode *node)
{
  gboolean has_elements = FALSE;
  xmlBufferPtr buffer;
  char *html;

  if (node == NULL)
    return NULL;

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      has_elements = TRUE;

  if (!has_elements)
    return dtx_feed_node_text (node);

  /* Markup embedded directly (Atom xhtml, sloppy RSS): serialised. */
  buffer = xmlBufferCreate ();
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type != XML_ENTITY_REF_NODE)
      xmlNodeDump (buffer, node->doc, child, 0, 0);
  html = g_strstrip (g_strdup ((const char *) xmlBufferContent (buffer)));
  xmlBufferFree (buffer);

  return nonempty_or_free (html);
}

/* An attribute's literal text. Entity references are skipped, as in
 * collect_text(): xmlGetProp() would expand them recursively. */
static char *
attr_text (xmlAttr *attr)
{
  GString *out;

  if (attr == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (xmlNode *child = attr->children; child != NULL; child = child->next)
    if (child->type == XML_TEXT_NODE && child->content != NULL)
      g_string_append (out, (const char *) child->content);
  g_strstrip (out->str);
  return nonempty_or_free (g_string_free (out, FALSE));
}

/* Looked up by hand: xmlHasNsProp() may hand back a DTD attribute
 * declaration, which is not an xmlAttr. */
static xmlAttr *
find_attr (xmlNode    *node,
           const char *ns,
           const char *name)
{
  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    {
      if (strcmp ((const char *) attr->name, name) != 0)
        continue;
      if (ns == NULL ? attr->ns == NULL
                     : (attr->ns != NULL && g_strcmp0 ((const char *) attr->ns->href, ns) == 0))
        return attr;
    }
  return NULL;
}

char *
dtx_feed_node_attr (xmlNode    *node,
                    const char *name)
{
  if (node == NULL)
    return NULL;
  /* Only attributes in no namespace, as feed formats define them. */
  return attr_text (find_attr (node, NULL, name));
}

char *
dtx_feed_node_ns_attr (xmlNode    *node,
                       const char *ns,
                       const char *name)
{
  if (node == NULL)
    return NULL;
  return attr_text (find_attr (node, ns, name));
}

char *
dtx_feed_node_base (xmlNode    *node,
                    const char *doc_base)
{
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  char *base = g_strdup (doc_base);

  for (xmlNode *n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    {
      char *b = attr_text (find_attr (n, (const char *) XML_XML_NAMESPACE, "base"));
      if (b != NULL)
        g_ptr_array_add (bases, b);
    }
  for (guint i = bases->len; i > 0; i--)
    dtx_feed_take_str (&base, dtx_uri_resolve (base, g_ptr_array_index (bases, i - 1)));

  return base;
}

gboolean
dtx_feed_is_image_type (const char *type)
{
  return type != NULL && g_ascii_strncasecmp (type, "image/", 6) == 0;
}

char *
dtx_feed_media_image (xmlNode *item)
{
  g_autofree char *thumbnail = NULL;

  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      if (dtx_feed_is_element (child, DTX_NS_MEDIA, "content"))
        {
          g_autofree char *medium = dtx_feed_node_attr (child, "medium");
          g_autofree char *type = dtx_feed_node_attr (child, "type");
          g_autofree char *url = dtx_feed_node_attr (child, "url");

          if (url != NULL &&
              (g_strcmp0 (medium, "image") == 0 || dtx_feed_is_image_type (type) ||
               (medium == NULL && type == NULL)))
            return g_steal_pointer (&url);

          if (thumbnail == NULL)
            thumbnail = dtx_feed_media_image (child);
        }
      else if (dtx_feed_is_element (child, DTX_NS_MEDIA, "thumbnail"))
        {
          if (thumbnail == NULL)
            thumbnail = dtx_feed_node_attr (child, "url");
        }
      else if (dtx_feed_is_element (child, DTX_NS_MEDIA, "group"))
        {
          char *url = dtx_feed_media_image (child);
          if (url != NULL)
            return url;
        }
    }

  return g_steal_pointer (&thumbnail);
}

char *
dtx_feed_media_text (xmlNode    *item,
                     const char *name)
{
  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      if (dtx_feed_is_element (child, DTX_NS_MEDIA, name))
        {
          g_autofree char *type = dtx_feed_node_attr (child, "type");
          g_autofree char *text = dtx_feed_node_text (child);

          if (text == NULL)
            continue;
          /* type="plain" is the default. */
          if (g_strcmp0 (type, "html") == 0)
            return g_steal_pointer (&text);
          return dtx_feed_text_to_html (text);
        }
      if (dtx_feed_is_element (child, DTX_NS_MEDIA, "group") ||
          dtx_feed_is_element (child, DTX_NS_MEDIA, "content"))
        {
          char *found = dtx_feed_media_text (child, name);
          if (found != NULL)
            return found;
        }
    }
  return NULL;
}
