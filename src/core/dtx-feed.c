/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-feed"
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dtx-error.h"
#include "dtx-json.h"
#include "dtx-feed.h"
#include "dtx-sanitizer.h"

#define NS_ATOM       "http://www.w3.org/2005/Atom"
#define NS_ATOM03     "http://purl.org/atom/ns#"
#define NS_RSS10      "http://purl.org/rss/1.0/"
#define NS_RSS090     "http://my.netscape.com/rdf/simple/0.9/"
#define NS_RDF        "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_CONTENT    "http://purl.org/rss/1.0/modules/content/"
#define NS_DC         "http://purl.org/dc/elements/1.1/"
#define NS_MEDIA      "http://search.yahoo.com/mrss/"

/* Characters of content text used as an excerpt when a feed has none. */
#define EXCERPT_CHARS 200

/* What one item/entry yields before it becomes a DtxArticle. */
typedef struct {
  char       *guid;
  char       *link;
  char       *title;     /* plain text */
  char       *excerpt;   /* plain text */
  char       *content;   /* raw HTML */
  char       *author;
  GDateTime  *date;
  char       *image;
  GPtrArray  *categories;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_clear_pointer (&entry->guid, g_free);
  g_clear_pointer (&entry->link, g_free);
  g_clear_pointer (&entry->title, g_free);
  g_clear_pointer (&entry->excerpt, g_free);
  g_clear_pointer (&entry->content, g_free);
  g_clear_pointer (&entry->author, g_free);
  g_clear_pointer (&entry->date, g_date_time_unref);
  g_clear_pointer (&entry->image, g_free);
  g_clear_pointer (&entry->categories, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Entry, entry_clear)

static void
take_str (char **dest, char *value)
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

static char *
html_to_text (const char *html)
{
  if (html == NULL)
    return NULL;
  return nonempty_or_free (dtx_sanitizer_to_text (html));
}

/* Plain text that must not lose a literal '<' or '&': escape it so the
 * sanitiser only collapses white space. */
static char *
plain_to_text (const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return NULL;
  escaped = g_markup_escape_text (text, -1);
  return html_to_text (escaped);
}

static void
entry_add_category (Entry *entry, char *name)
{
  if (name == NULL)
    return;
  if (entry->categories == NULL)
    entry->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entry->categories->len; i++)
    if (g_strcmp0 (g_ptr_array_index (entry->categories, i), name) == 0)
      {
        g_free (name);
        return;
      }
  g_ptr_array_add (entry->categories, name);
}

static char *
resolve_url (const char *base,
             const char *ref)
{
  g_autofree char *trimmed = NULL;
  char *resolved;

  if (ref == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (ref));
  if (*trimmed == '\0')
    return NULL;
  if (base == NULL || g_uri_peek_scheme (trimmed) != NULL)
    return g_steal_pointer (&trimmed);

  resolved = g_uri_resolve_relative (base, trimmed, G_URI_FLAGS_NONE, NULL);
  return resolved ? resolved : g_steal_pointer (&trimmed);
}

/* ---- Dates ------------------------------------------------------------ */

static GDateTime *
parse_iso8601 (const char *value)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *s = NULL;

  if (value == NULL)
    return NULL;
  s = g_strstrip (g_strdup (value));
  if (*s == '\0')
    return NULL;

  date = g_date_time_new_from_iso8601 (s, utc);
  /* dc:date may be a bare day ("2024-05-03"). */
  if (date == NULL && strlen (s) == 10)
    {
      g_autofree char *midnight = g_strconcat (s, "T00:00:00", NULL);
      date = g_date_time_new_from_iso8601 (midnight, utc);
    }

  return date ? g_date_time_to_utc (date) : NULL;
}

static int
parse_month (const char *name)
{
  static const char * const months[] = {
    "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
  };

  if (strlen (name) < 3)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_ascii_strncasecmp (name, months[i], 3) == 0)
      return i + 1;
  return 0;
}

static gboolean
all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Offset in seconds east of UTC for an RFC 822 zone; FALSE if unknown. */
static gboolean
parse_zone (const char *zone,
            gint32     *offset)
{
  static const struct { const char *name; int hours; } names[] = {
    { "GMT", 0 }, { "UT", 0 }, { "UTC", 0 }, { "Z", 0 },
    { "EST", -5 }, { "EDT", -4 }, { "CST", -6 }, { "CDT", -5 },
    { "MST", -7 }, { "MDT", -6 }, { "PST", -8 }, { "PDT", -7 },
    /* Indonesian sites write their own zones. */
    { "WIB", 7 }, { "WITA", 8 }, { "WIT", 9 },
  };

  if ((zone[0] == '+' || zone[0] == '-'))
    {
      const char *digits = zone + 1;
      int hours, minutes;

      if (strlen (digits) == 5 && digits[2] == ':' &&
          g_ascii_isdigit (digits[0]) && g_ascii_isdigit (digits[1]) &&
          g_ascii_isdigit (digits[3]) && g_ascii_isdigit (digits[4]))
        {
          hours = g_ascii_digit_value (digits[0]) * 10 + g_ascii_digit_value (digits[1]);
          minutes = g_ascii_digit_value (digits[3]) * 10 + g_ascii_digit_value (digits[4]);
        }
      else if (strlen (digits) == 4 && all_digits (digits))
        {
          hours = g_ascii_digit_value (digits[0]) * 10 + g_ascii_digit_value (digits[1]);
          minutes = g_ascii_digit_value (digits[2]) * 10 + g_ascii_digit_value (digits[3]);
        }
      else
        return FALSE;

      if (hours > 14 || minutes > 59)
        return FALSE;
      *offset = (hours * 3600 + minutes * 60) * (zone[0] == '-' ? -1 : 1);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (zone, names[i].name) == 0)
      {
        *offset = names[i].hours * 3600;
        return TRUE;
      }

  return FALSE;
}

/* RFC 822/1123 as RSS uses it: "[Fri,] 03 May 2024 02:30[:00] +0000".
 * Lenient about case, full month names, two-digit years and a missing
 * zone (taken as UTC); an unknown zone name is also taken as UTC rather
 * than losing the date. */
static GDateTime *
parse_rfc822 (const char *value)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_auto(GStrv) hms = NULL;
  int day, month, year, hour, minute;
  double seconds = 0;
  gint32 offset = 0;
  guint i = 0;

  if (value == NULL)
    return NULL;

  parts = g_strsplit_set (value, " \t\r\n,", -1);
  for (guint j = 0; parts[j] != NULL; j++)
    if (*parts[j] != '\0')
      g_ptr_array_add (tokens, parts[j]);

  /* Optional day name; no day name starts like a month, so a word that
   * is not a month is the day name. */
  if (i < tokens->len && g_ascii_isalpha (*(char *)tokens->pdata[i]) &&
      parse_month (tokens->pdata[i]) == 0)
    i++;

  if (tokens->len - i < 4)
    return NULL;

  if (!all_digits (tokens->pdata[i]) || strlen (tokens->pdata[i]) > 2)
    return NULL;
  day = atoi (tokens->pdata[i++]);

  if ((month = parse_month (tokens->pdata[i++])) == 0)
    return NULL;

  if (!all_digits (tokens->pdata[i]) || strlen (tokens->pdata[i]) > 4)
    return NULL;
  year = atoi (tokens->pdata[i]);
  if (strlen (tokens->pdata[i]) <= 2)
    year += year < 50 ? 2000 : 1900;
  i++;

  hms = g_strsplit (tokens->pdata[i++], ":", -1);
  if (g_strv_length (hms) < 2 || g_strv_length (hms) > 3)
    return NULL;
  for (guint j = 0; hms[j] != NULL; j++)
    if (!all_digits (hms[j]) || strlen (hms[j]) > 2)
      return NULL;
  hour = atoi (hms[0]);
  minute = atoi (hms[1]);
  if (hms[2] != NULL)
    seconds = atoi (hms[2]);

  if (i < tokens->len && !parse_zone (tokens->pdata[i], &offset))
    offset = 0;

  tz = g_time_zone_new_offset (offset);
  date = g_date_time_new (tz, year, month, day, hour, minute, seconds);

  return date ? g_date_time_to_utc (date) : NULL;
}

/* pubDate is meant to be RFC 822, but some generators write ISO 8601. */
static GDateTime *
parse_any_date (const char *value)
{
  GDateTime *date = parse_rfc822 (value);

  return date ? date : parse_iso8601 (value);
}

/* ---- Ids -------------------------------------------------------------- */

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

  for (const guchar *p = (const guchar *)key; *p; p++)
    {
      hash ^= *p;
      hash *= 1099511628211ULL;
    }

  id = (gint64)(hash & G_MAXINT64);
  return id != 0 ? id : 1;
}

/* ---- HTML helpers ----------------------------------------------------- */

static xmlNode *
find_html_element (xmlNode    *node,
                   const char *name)
{
  for (; node != NULL; node = node->next)
    {
      xmlNode *found;

      if (node->type == XML_ELEMENT_NODE &&
          g_ascii_strcasecmp ((const char *)node->name, name) == 0)
        return node;
      if ((found = find_html_element (node->children, name)) != NULL)
        return found;
    }
  return NULL;
}

static char *
html_attr (xmlNode    *node,
           const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *)name);
  char *copy;

  if (value == NULL)
    return NULL;
  copy = g_strstrip (g_strdup ((const char *)value));
  xmlFree (value);
  return nonempty_or_free (copy);
}

/* The first picture in the body, for feeds that name no image. Lazy-load
 * plugins put a placeholder in src and the real URL in data-src. */
static char *
first_image_in_html (const char *html)
{
  static const char * const lazy[] = { "data-src", "data-lazy-src", "data-original" };
  g_autofree char *bounded = NULL;
  htmlDocPtr doc;
  xmlNode *img;
  char *src = NULL;
  gsize length;

  if (html == NULL || strstr (html, "<img") == NULL)
    return NULL;
  /* Untrusted markup: bounded first, so the parse stays linear. */
  html = bounded = dtx_sanitizer_bound_markup (html, NULL);
  length = strlen (html);
  if (length > G_MAXINT)
    return NULL;

  doc = htmlReadMemory (html, (int)length, NULL, "UTF-8",
                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (doc == NULL)
    return NULL;

  if ((img = find_html_element (xmlDocGetRootElement (doc), "img")) != NULL)
    {
      for (guint i = 0; src == NULL && i < G_N_ELEMENTS (lazy); i++)
        src = html_attr (img, lazy[i]);
      if (src == NULL)
        src = html_attr (img, "src");
      if (src != NULL && g_ascii_strncasecmp (src, "data:", 5) == 0)
        g_clear_pointer (&src, g_free);
    }

  xmlFreeDoc (doc);
  return src;
}

static char *
excerpt_from_content (const char *html)
{
  g_autofree char *text = html_to_text (html);
  g_autofree char *head = NULL;
  const char *cut;
  const char *space;

  if (text == NULL || g_utf8_strlen (text, -1) <= EXCERPT_CHARS)
    return g_steal_pointer (&text);

  cut = g_utf8_offset_to_pointer (text, EXCERPT_CHARS);
  /* End on a word boundary when there is one not too far back. */
  for (space = cut; space > text && *space != ' '; space--)
    ;
  if (space > text && cut - space < 40)
    cut = space;

  head = g_strndup (text, cut - text);
  return g_strconcat (g_strchomp (head), "…", NULL);
}

/* ---- XML helpers ------------------------------------------------------ */

static gboolean
ns_is (xmlNode    *node,
       const char *href)
{
  if (href == NULL)
    return node->ns == NULL;
  return node->ns != NULL && g_strcmp0 ((const char *)node->ns->href, href) == 0;
}

static gboolean
is_element (xmlNode    *node,
            const char *ns,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE &&
         strcmp ((const char *)node->name, name) == 0 &&
         ns_is (node, ns);
}

/* RSS 0.9x/2.0 core elements have no namespace; RSS 1.0 and 0.90 put the
 * same names in their own. */
static gboolean
is_rss (xmlNode    *node,
        const char *name)
{
  return is_element (node, NULL, name) ||
         is_element (node, NS_RSS10, name) ||
         is_element (node, NS_RSS090, name);
}

static gboolean
is_atom (xmlNode    *node,
         const char *name)
{
  return is_element (node, NS_ATOM, name) || is_element (node, NS_ATOM03, name);
}

static xmlNode *
first_child (xmlNode    *parent,
             gboolean  (*match) (xmlNode *, const char *),
             const char *name)
{
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
            g_string_append (out, (const char *)node->content);
          break;
        case XML_ELEMENT_NODE:
          collect_text (node->children, out);
          break;
        default:
          /* Entity references are deliberately not followed: the parser
           * does not substitute entities (no XXE, no billion laughs) and
           * neither do we. */
          break;
        }
    }
}

/* The character data of an element, trimmed; NULL when empty. */
static char *
node_text (xmlNode *node)
{
  GString *out;

  if (node == NULL)
    return NULL;
  out = g_string_new (NULL);
  collect_text (node->children, out);
  g_strstrip (out->str);
  return nonempty_or_free (g_string_free (out, FALSE));
}

/* The HTML an element carries: its text when escaped or in CDATA (the usual
 * case), or its serialised children when a feed embeds markup directly
 * (Atom type="xhtml", sloppy RSS). */
static char *
node_html (xmlNode *node)
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
    return node_text (node);

  buffer = xmlBufferCreate ();
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    xmlNodeDump (buffer, node->doc, child, 0, 0);
  html = g_strstrip (g_strdup ((const char *)xmlBufferContent (buffer)));
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
      g_string_append (out, (const char *)child->content);
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
      if (strcmp ((const char *)attr->name, name) != 0)
        continue;
      if (ns == NULL ? attr->ns == NULL
                     : (attr->ns != NULL && g_strcmp0 ((const char *)attr->ns->href, ns) == 0))
        return attr;
    }
  return NULL;
}

static char *
node_attr (xmlNode    *node,
           const char *name)
{
  if (node == NULL)
    return NULL;
  /* Only attributes in no namespace, as feed formats define them. */
  return attr_text (find_attr (node, NULL, name));
}

/* Atom text constructs: type="text" (default) is plain text, "html" is
 * escaped HTML, "xhtml" is inline markup. Returned as HTML. */
static char *
atom_html (xmlNode *node)
{
  g_autofree char *type = node_attr (node, "type");

  if (node == NULL)
    return NULL;
  if (type == NULL || g_ascii_strcasecmp (type, "text") == 0 ||
      g_ascii_strcasecmp (type, "text/plain") == 0)
    {
      g_autofree char *text = node_text (node);
      return text ? g_markup_escape_text (text, -1) : NULL;
    }
  return node_html (node);
}

static gboolean
is_image_type (const char *type)
{
  return type != NULL && g_ascii_strncasecmp (type, "image/", 6) == 0;
}

/* Media RSS: media:content (an image one), media:thumbnail, possibly
 * wrapped in media:group. */
static char *
media_image (xmlNode *item)
{
  g_autofree char *thumbnail = NULL;

  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE || !ns_is (child, NS_MEDIA))
        continue;

      if (strcmp ((const char *)child->name, "content") == 0)
        {
          g_autofree char *medium = node_attr (child, "medium");
          g_autofree char *type = node_attr (child, "type");
          g_autofree char *url = node_attr (child, "url");

          if (url != NULL &&
              (g_strcmp0 (medium, "image") == 0 || is_image_type (type) ||
               (medium == NULL && type == NULL)))
            return g_steal_pointer (&url);

          if (thumbnail == NULL)
            thumbnail = media_image (child);
        }
      else if (strcmp ((const char *)child->name, "thumbnail") == 0)
        {
          if (thumbnail == NULL)
            thumbnail = node_attr (child, "url");
        }
      else if (strcmp ((const char *)child->name, "group") == 0)
        {
          char *url = media_image (child);
          if (url != NULL)
            return url;
        }
    }

  return g_steal_pointer (&thumbnail);
}

/* ---- RSS 2.0 / RSS 1.0 ------------------------------------------------ */

/* RSS <author> is "jane@example.com (Jane Doe)": keep the name. */
static char *
rss_author_name (const char *author)
{
  const char *open, *close;

  if (author == NULL)
    return NULL;
  if ((open = strchr (author, '(')) != NULL && (close = strrchr (author, ')')) != NULL &&
      close > open + 1)
    {
      g_autofree char *name = g_strndup (open + 1, close - open - 1);
      return html_to_text (name);
    }
  return html_to_text (author);
}

static void
parse_rss_item (xmlNode    *item,
                const char *base,
                Entry      *entry)
{
  g_autofree char *description = NULL;
  g_autofree char *pub_date = NULL;
  g_autofree char *dc_date = NULL;
  g_autofree char *rss_author = NULL;
  g_autofree char *enclosure = NULL;
  g_autofree char *guid = NULL;
  gboolean guid_is_link = TRUE;

  for (xmlNode *child = item->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (is_rss (child, "title") && entry->title == NULL)
        {
          /* RSS titles are, in practice, HTML-escaped text. */
          g_autofree char *text = node_html (child);
          entry->title = html_to_text (text);
        }
      else if (is_rss (child, "link") && entry->link == NULL)
        entry->link = node_text (child);
      else if (is_rss (child, "guid") && guid == NULL)
        {
          g_autofree char *permalink = node_attr (child, "isPermaLink");
          guid = node_text (child);
          guid_is_link = g_strcmp0 (permalink, "false") != 0;
        }
      else if (is_rss (child, "description") && description == NULL)
        description = node_html (child);
      else if (is_element (child, NS_CONTENT, "encoded") && entry->content == NULL)
        entry->content = node_html (child);
      else if (is_element (child, NS_DC, "creator") && entry->author == NULL)
        {
          g_autofree char *text = node_text (child);
          entry->author = html_to_text (text);
        }
      else if (is_rss (child, "author") && rss_author == NULL)
        rss_author = node_text (child);
      else if (is_rss (child, "pubDate") && pub_date == NULL)
        pub_date = node_text (child);
      else if (is_element (child, NS_DC, "date") && dc_date == NULL)
        dc_date = node_text (child);
      else if (is_rss (child, "category") || is_element (child, NS_DC, "subject"))
        {
          g_autofree char *text = node_text (child);
          entry_add_category (entry, html_to_text (text));
        }
      else if (is_rss (child, "enclosure") && enclosure == NULL)
        {
          g_autofree char *type = node_attr (child, "type");
          if (is_image_type (type))
            enclosure = node_attr (child, "url");
        }
      else if (is_atom (child, "link") && entry->link == NULL)
        {
          g_autofree char *rel = node_attr (child, "rel");
          if (rel == NULL || g_strcmp0 (rel, "alternate") == 0)
            entry->link = node_attr (child, "href");
        }
    }

  /* RSS 1.0 names the item by its rdf:about. */
  if (entry->link == NULL)
    {
      entry->link = attr_text (find_attr (item, NS_RDF, "about"));
    }

  if (entry->link == NULL && guid != NULL && guid_is_link &&
      g_uri_peek_scheme (guid) != NULL)
    entry->link = g_strdup (guid);
  take_str (&entry->link, resolve_url (base, entry->link));
  entry->guid = g_steal_pointer (&guid);

  if (entry->author == NULL)
    entry->author = rss_author_name (rss_author);

  if (pub_date != NULL)
    entry->date = parse_any_date (pub_date);
  if (entry->date == NULL && dc_date != NULL)
    entry->date = parse_iso8601 (dc_date);

  if (description != NULL)
    entry->excerpt = html_to_text (description);
  /* Feeds without content:encoded carry the whole body in description. */
  if (entry->content == NULL)
    entry->content = g_strdup (description);

  entry->image = media_image (item);
  if (entry->image == NULL)
    entry->image = g_steal_pointer (&enclosure);
  if (entry->image == NULL)
    entry->image = first_image_in_html (entry->content);
  take_str (&entry->image, resolve_url (base, entry->image));
}

/* ---- Atom ------------------------------------------------------------- */

static char *
atom_person_name (xmlNode *parent)
{
  xmlNode *author = first_child (parent, is_atom, "author");
  g_autofree char *name = NULL;

  if (author == NULL)
    return NULL;
  name = node_text (first_child (author, is_atom, "name"));
  return plain_to_text (name);
}

/* The xml:base in effect for a node, resolved against doc_base (the feed
 * URL). Done by hand for the same reason as attr_text(). */
static char *
node_base (xmlNode    *node,
           const char *doc_base)
{
  g_autoptr(GPtrArray) bases = g_ptr_array_new_with_free_func (g_free);
  char *base = g_strdup (doc_base);

  for (xmlNode *n = node; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
    {
      char *b = attr_text (find_attr (n, (const char *)XML_XML_NAMESPACE, "base"));
      if (b != NULL)
        g_ptr_array_add (bases, b);
    }
  for (guint i = bases->len; i > 0; i--)
    take_str (&base, resolve_url (base, g_ptr_array_index (bases, i - 1)));

  return base;
}

static void
parse_atom_entry (xmlNode    *node,
                  const char *base_uri,
                  const char *feed_author,
                  Entry      *entry)
{
  g_autofree char *base = node_base (node, base_uri);
  g_autofree char *summary = NULL;
  g_autofree char *published = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *enclosure = NULL;
  g_autofree char *any_link = NULL;


  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        continue;

      if (is_atom (child, "title") && entry->title == NULL)
        {
          g_autofree char *html = atom_html (child);
          entry->title = html_to_text (html);
        }
      else if (is_atom (child, "link"))
        {
          g_autofree char *rel = node_attr (child, "rel");
          g_autofree char *type = node_attr (child, "type");
          g_autofree char *href = node_attr (child, "href");

          if (href == NULL)
            continue;
          if (rel == NULL || strcmp (rel, "alternate") == 0)
            {
              /* Prefer the HTML page over other alternates. */
              if (entry->link == NULL || g_strcmp0 (type, "text/html") == 0)
                take_str (&entry->link, g_steal_pointer (&href));
            }
          else if (strcmp (rel, "enclosure") == 0 && is_image_type (type) && enclosure == NULL)
            enclosure = g_steal_pointer (&href);
          else if (any_link == NULL && strcmp (rel, "self") != 0 && strcmp (rel, "replies") != 0)
            any_link = g_steal_pointer (&href);
        }
      else if (is_atom (child, "id") && entry->guid == NULL)
        entry->guid = node_text (child);
      else if ((is_atom (child, "summary") || is_atom (child, "subtitle")) && summary == NULL)
        summary = atom_html (child);
      else if (is_atom (child, "content") && entry->content == NULL)
        {
          g_autofree char *src = node_attr (child, "src");
          /* Out-of-line content (src=) is not fetched. */
          if (src == NULL)
            entry->content = atom_html (child);
        }
      else if ((is_atom (child, "published") || is_atom (child, "issued")) && published == NULL)
        published = node_text (child);
      else if ((is_atom (child, "updated") || is_atom (child, "modified")) && updated == NULL)
        updated = node_text (child);
      else if (is_atom (child, "category"))
        {
          g_autofree char *label = node_attr (child, "label");
          g_autofree char *term = node_attr (child, "term");
          entry_add_category (entry, plain_to_text (label ? label : term));
        }
    }

  if (entry->link == NULL)
    entry->link = g_steal_pointer (&any_link);
  if (entry->link == NULL && entry->guid != NULL &&
      (g_str_has_prefix (entry->guid, "http://") || g_str_has_prefix (entry->guid, "https://")))
    entry->link = g_strdup (entry->guid);
  take_str (&entry->link, resolve_url (base, entry->link));

  entry->author = atom_person_name (node);
  if (entry->author == NULL)
    entry->author = g_strdup (feed_author);

  entry->date = parse_iso8601 (published);
  if (entry->date == NULL)
    entry->date = parse_iso8601 (updated);

  if (summary != NULL)
    entry->excerpt = html_to_text (summary);
  if (entry->content == NULL)
    entry->content = g_strdup (summary);

  entry->image = media_image (node);
  if (entry->image == NULL)
    entry->image = g_steal_pointer (&enclosure);
  if (entry->image == NULL)
    entry->image = first_image_in_html (entry->content);
  take_str (&entry->image, resolve_url (base, entry->image));
}

/* ---- Articles ----------------------------------------------------------- */

static DtxArticle *
entry_to_article (Entry *entry)
{
  DtxArticle *article;
  gint64 id;

  if (entry->link == NULL && entry->title == NULL)
    return NULL;

  if (entry->excerpt == NULL)
    entry->excerpt = excerpt_from_content (entry->content);

  id = wordpress_post_id (entry->guid);
  if (id == 0)
    id = wordpress_post_id (entry->link);
  if (id == 0)
    id = hash_id (entry->link ? entry->link : entry->guid ? entry->guid : entry->title);

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
      dtx_article_set_categories (article, (const char * const *)entry->categories->pdata);
    }

  return article;
}

static void
add_entry (GPtrArray *articles,
           Entry     *entry)
{
  DtxArticle *article = entry_to_article (entry);

  if (article != NULL)
    g_ptr_array_add (articles, article);
}

static char *
effective_base (const char *base_uri,
                const char *channel_link)
{
  if (base_uri != NULL && g_uri_peek_scheme (base_uri) != NULL)
    return g_strdup (base_uri);
  if (channel_link != NULL)
    return resolve_url (base_uri, channel_link);
  return g_strdup (base_uri);
}

static GPtrArray *
parse_rss (xmlNode     *root,
           gboolean     rdf,
           const char  *base_uri,
           char       **title_out)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func (g_object_unref);
  xmlNode *channel = first_child (root, is_rss, "channel");
  g_autofree char *channel_link = NULL;
  g_autofree char *base = NULL;

  if (channel != NULL)
    {
      g_autofree char *title = node_html (first_child (channel, is_rss, "title"));
      channel_link = node_text (first_child (channel, is_rss, "link"));
      if (title_out != NULL)
        *title_out = html_to_text (title);
    }
  base = effective_base (base_uri, channel_link);

  /* RSS 2.0 nests items in the channel, RSS 1.0 puts them beside it;
   * accept either for both, sloppy feeds mix them up. */
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
          g_auto(Entry) entry = { 0 };

          if (!is_rss (child, "item"))
            continue;
          parse_rss_item (child, base, &entry);
          add_entry (articles, &entry);
        }
    }

  return articles;
}

static GPtrArray *
parse_atom (xmlNode     *root,
            const char  *base_uri,
            char       **title_out)
{
  GPtrArray *articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *feed_author = atom_person_name (root);
  xmlNode *title = first_child (root, is_atom, "title");

  if (title_out != NULL && title != NULL)
    {
      g_autofree char *html = atom_html (title);
      *title_out = html_to_text (html);
    }

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      g_auto(Entry) entry = { 0 };

      if (!is_atom (child, "entry"))
        continue;
      parse_atom_entry (child, base_uri, feed_author, &entry);
      add_entry (articles, &entry);
    }

  return articles;
}

static void
silent_error (void       *context,
              const char *format,
              ...)
{
}

static GPtrArray *
parse_xml (const char  *data,
           gsize        length,
           const char  *base_uri,
           char       **title_out,
           GError     **error)
{
  xmlGenericErrorFunc old_handler;
  void *old_context;
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  xmlNode *root;
  GPtrArray *articles = NULL;

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("The feed is too large to read"));
      return NULL;
    }

  /* No NOENT (entity substitution) and no DTDLOAD: external entities are
   * never fetched or read (XXE) and internal ones are not expanded
   * (billion laughs). No HUGE either, so libxml2's size limits stay on.
   * The encoding is not forced so that the prolog's declaration wins. */
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("Could not create an XML parser"));
      return NULL;
    }
  /* NOERROR does not cover the encoding layer, which reports bad input
   * bytes through the (per-thread) generic handler: silence it while we
   * parse, the error still reaches the GError below. */
  old_handler = xmlGenericError;
  old_context = xmlGenericErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_error);
  doc = xmlCtxtReadMemory (ctxt, data, (int)length, base_uri, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlSetGenericErrorFunc (old_context, old_handler);
  if (doc == NULL || !ctxt->wellFormed)
    {
      const xmlError *xerr = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = g_strdup (xerr && xerr->message ? xerr->message : "unknown error");

      /* The parser's words go to the log, the user gets a sentence. */
      g_message ("%s: not well-formed XML: %s (line %d)", base_uri ? base_uri : "feed",
                 g_strstrip (message), xerr ? xerr->line : 0);
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("The site’s feed is damaged and could not be read."));
      g_clear_pointer (&doc, xmlFreeDoc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);

  root = xmlDocGetRootElement (doc);
  if (root != NULL && is_element (root, NULL, "rss"))
    articles = parse_rss (root, FALSE, base_uri, title_out);
  else if (root != NULL && is_element (root, NS_RDF, "RDF"))
    articles = parse_rss (root, TRUE, base_uri, title_out);
  else if (root != NULL && is_atom (root, "feed"))
    articles = parse_atom (root, base_uri, title_out);
  else
    {
      g_message ("%s: not a feed, the root element is <%s>", base_uri ? base_uri : "document",
                 root ? (const char *)root->name : "none");
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE,
                           _("This address does not lead to a news site or a feed."));
    }

  xmlFreeDoc (doc);
  return articles;
}

/* ---- JSON Feed -------------------------------------------------------- */

/* content_text is plain text; the reader wants HTML. */
static char *
text_to_html (const char *text)
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

  return g_string_free (html, FALSE);
}

static void
parse_json_item (JsonObject *item,
                 const char *base,
                 Entry      *entry)
{
  JsonNode *id_node = json_object_get_member (item, "id");
  JsonObject *author = NULL;
  JsonArray *tags;
  const char *s;

  /* The spec says string, some generators write a number. */
  if (id_node != NULL && JSON_NODE_HOLDS_VALUE (id_node))
    {
      if (json_node_get_value_type (id_node) == G_TYPE_STRING)
        entry->guid = nonempty_or_free (g_strdup (json_node_get_string (id_node)));
      else if (json_node_get_value_type (id_node) == G_TYPE_INT64)
        entry->guid = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id_node));
    }

  s = dtx_json_nonempty_string_member (item, "url");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "external_url");
  if (s == NULL && entry->guid != NULL &&
      (g_str_has_prefix (entry->guid, "http://") || g_str_has_prefix (entry->guid, "https://")))
    s = entry->guid;
  entry->link = resolve_url (base, s);

  entry->title = plain_to_text (dtx_json_nonempty_string_member (item, "title"));

  if ((s = dtx_json_nonempty_string_member (item, "content_html")) != NULL)
    entry->content = g_strdup (s);
  else if ((s = dtx_json_nonempty_string_member (item, "content_text")) != NULL)
    entry->content = text_to_html (s);

  entry->excerpt = plain_to_text (dtx_json_nonempty_string_member (item, "summary"));

  s = dtx_json_nonempty_string_member (item, "image");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "banner_image");
  entry->image = resolve_url (base, s);
  if (entry->image == NULL)
    {
      g_autofree char *img = first_image_in_html (entry->content);
      entry->image = resolve_url (base, img);
    }

  s = dtx_json_nonempty_string_member (item, "date_published");
  if (s == NULL)
    s = dtx_json_nonempty_string_member (item, "date_modified");
  entry->date = parse_iso8601 (s);

  /* 1.1 has authors[], 1.0 had author. */
  tags = dtx_json_array_member (item, "authors");
  if (tags != NULL && json_array_get_length (tags) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (tags, 0)))
    author = json_node_get_object (json_array_get_element (tags, 0));
  if (author == NULL)
    author = dtx_json_object_member (item, "author");
  entry->author = plain_to_text (dtx_json_nonempty_string_member (author, "name"));

  if ((tags = dtx_json_array_member (item, "tags")) != NULL)
    for (guint i = 0; i < json_array_get_length (tags); i++)
      {
        JsonNode *tag = json_array_get_element (tags, i);

        if (JSON_NODE_HOLDS_VALUE (tag) && json_node_get_value_type (tag) == G_TYPE_STRING)
          entry_add_category (entry, plain_to_text (json_node_get_string (tag)));
      }
}

static GPtrArray *
parse_json_feed (const char  *data,
                 gsize        length,
                 const char  *base_uri,
                 char       **title_out,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *base = NULL;
  GPtrArray *articles;
  JsonObject *feed;
  JsonArray *items;
  JsonNode *root;
  const char *version;

  if (length > G_MAXSSIZE)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, _("The feed is too large to read"));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize)length, &local_error))
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
    *title_out = plain_to_text (dtx_json_nonempty_string_member (feed, "title"));

  base = effective_base (base_uri, dtx_json_nonempty_string_member (feed, "home_page_url"));

  articles = g_ptr_array_new_with_free_func (g_object_unref);
  items = dtx_json_array_member (feed, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_auto(Entry) entry = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      parse_json_item (json_node_get_object (node), base, &entry);
      add_entry (articles, &entry);
    }

  return articles;
}

/* ---- Entry point ------------------------------------------------------ */

GPtrArray *
dtx_feed_parse (GBytes      *data,
                const char  *base_uri,
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
    return parse_json_feed (p, length - (p - bytes), base_uri, title_out, error);

  return parse_xml (bytes, length, base_uri, title_out, error);
}
