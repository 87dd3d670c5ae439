/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-article"
#include "config.h"

#include "dtx-article.h"

#include <string.h>

struct _DtxArticle
{
  GObject    parent_instance;

  gint64     id;
  char      *link;
  char      *title;
  char      *excerpt;
  char      *content;
  char      *author;
  GDateTime *date;
  char      *image_url;
  char     **categories;
  char      *source_name;
  gint64     store_id;
  GDateTime *saved;
  gboolean   bookmarked;
  gboolean   read;
};

G_DEFINE_FINAL_TYPE (DtxArticle, dtx_article, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LINK,
  PROP_TITLE,
  PROP_EXCERPT,
  PROP_CONTENT,
  PROP_AUTHOR,
  PROP_DATE,
  PROP_IMAGE_URL,
  PROP_CATEGORIES,
  PROP_SOURCE_NAME,
  PROP_STORE_ID,
  PROP_BOOKMARKED,
  PROP_SAVED,
  PROP_READ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dtx_article_finalize (GObject *object)
{
  DtxArticle *self = (DtxArticle *)object;

  g_clear_pointer (&self->link, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->excerpt, g_free);
  g_clear_pointer (&self->content, g_ref_string_release);
  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->image_url, g_free);
  g_clear_pointer (&self->categories, g_strfreev);
  g_clear_pointer (&self->source_name, g_free);
  g_clear_pointer (&self->saved, g_date_time_unref);

  G_OBJECT_CLASS (dtx_article_parent_class)->finalize (object);
}

static void
dtx_article_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DtxArticle *self = DTX_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_LINK: g_value_set_string (value, self->link); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_EXCERPT: g_value_set_string (value, self->excerpt); break;
    case PROP_CONTENT: g_value_set_string (value, self->content); break;
    case PROP_AUTHOR: g_value_set_string (value, self->author); break;
    case PROP_DATE: g_value_set_boxed (value, self->date); break;
    case PROP_IMAGE_URL: g_value_set_string (value, self->image_url); break;
    case PROP_CATEGORIES: g_value_set_boxed (value, self->categories); break;
    case PROP_SOURCE_NAME: g_value_set_string (value, self->source_name); break;
    case PROP_STORE_ID: g_value_set_int64 (value, self->store_id); break;
    case PROP_BOOKMARKED: g_value_set_boolean (value, self->bookmarked); break;
    case PROP_SAVED: g_value_set_boxed (value, self->saved); break;
    case PROP_READ: g_value_set_boolean (value, self->read); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_article_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DtxArticle *self = DTX_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_ID: dtx_article_set_id (self, g_value_get_int64 (value)); break;
    case PROP_LINK: dtx_article_set_link (self, g_value_get_string (value)); break;
    case PROP_TITLE: dtx_article_set_title (self, g_value_get_string (value)); break;
    case PROP_EXCERPT: dtx_article_set_excerpt (self, g_value_get_string (value)); break;
    case PROP_CONTENT: dtx_article_set_content (self, g_value_get_string (value)); break;
    case PROP_AUTHOR: dtx_article_set_author (self, g_value_get_string (value)); break;
    case PROP_DATE: dtx_article_set_date (self, g_value_get_boxed (value)); break;
    case PROP_IMAGE_URL: dtx_article_set_image_url (self, g_value_get_string (value)); break;
    case PROP_CATEGORIES: dtx_article_set_categories (self, g_value_get_boxed (value)); break;
    case PROP_SOURCE_NAME: dtx_article_set_source_name (self, g_value_get_string (value)); break;
    case PROP_STORE_ID: dtx_article_set_store_id (self, g_value_get_int64 (value)); break;
    case PROP_BOOKMARKED: dtx_article_set_bookmarked (self, g_value_get_boolean (value)); break;
    case PROP_SAVED: dtx_article_set_saved (self, g_value_get_boxed (value)); break;
    case PROP_READ: dtx_article_set_read (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_article_class_init (DtxArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dtx_article_finalize;
  object_class->get_property = dtx_article_get_property;
  object_class->set_property = dtx_article_set_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LINK] = g_param_spec_string ("link", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_EXCERPT] = g_param_spec_string ("excerpt", NULL, NULL, NULL, flags);
  properties[PROP_CONTENT] = g_param_spec_string ("content", NULL, NULL, NULL, flags);
  properties[PROP_AUTHOR] = g_param_spec_string ("author", NULL, NULL, NULL, flags);
  properties[PROP_DATE] = g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_IMAGE_URL] = g_param_spec_string ("image-url", NULL, NULL, NULL, flags);
  properties[PROP_CATEGORIES] = g_param_spec_boxed ("categories", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_SOURCE_NAME] = g_param_spec_string ("source-name", NULL, NULL, NULL, flags);
  properties[PROP_STORE_ID] = g_param_spec_int64 ("store-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_BOOKMARKED] = g_param_spec_boolean ("bookmarked", NULL, NULL, FALSE, flags);
  properties[PROP_SAVED] = g_param_spec_boxed ("saved", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_READ] = g_param_spec_boolean ("read", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dtx_article_init (DtxArticle *self)
{
}

DtxArticle *
dtx_article_new (void)
{
  return g_object_new (DTX_TYPE_ARTICLE, NULL);
}

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
set_str (char **dest, const char *value)
{
  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;
  g_free (*dest);
  *dest = g_strdup (value);
  return TRUE;
}

#define STRING_ACCESSORS(field, PROP)                                      \
  const char *                                                             \
  dtx_article_get_##field (DtxArticle *self)                               \
  {                                                                        \
    g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);                    \
    return self->field;                                                    \
  }                                                                        \
                                                                           \
  void                                                                     \
  dtx_article_set_##field (DtxArticle *self, const char *field)            \
  {                                                                        \
    g_return_if_fail (DTX_IS_ARTICLE (self));                              \
    if (set_str (&self->field, field))                                       \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);        \
  }

STRING_ACCESSORS (link, PROP_LINK)
STRING_ACCESSORS (title, PROP_TITLE)
/* WordPress ends excerpts with "[…]" (or "[&hellip;]", "[...]") and themes
 * add "Read more" / "Baca selengkapnya" / "Continue reading" links: in a
 * list row they are noise. Trims them from the end, as often as they stack. */
static gboolean
ends_with_more_link (const char *text,
                     gsize       len)
{
  static const char * const links[] = { "Read more", "Read More", "Continue reading",
                                        "Baca selengkapnya", "Baca Selengkapnya", "Selengkapnya", NULL };

  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  for (guint i = 0; links[i] != NULL; i++)
    {
      gsize n = strlen (links[i]);
      if (len >= n && strncmp (text + len - n, links[i], n) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
trim_excerpt (const char *excerpt)
{
  static const char * const tails[] = {
    "[…]", "[&hellip;]", "[&#8230;]", "[...]",
    "→", "»", "&rarr;", "…", "...",
    "Read more", "Read More", "Continue reading", "Baca selengkapnya", "Baca Selengkapnya",
    "Selengkapnya", NULL
  };
  g_autofree char *text = NULL;
  gboolean trimmed = TRUE;

  if (excerpt == NULL)
    return NULL;
  text = g_strstrip (g_strdup (excerpt));
  while (trimmed)
    {
      gsize len = strlen (text);

      trimmed = FALSE;
      for (guint i = 0; tails[i] != NULL; i++)
        {
          gsize tail = strlen (tails[i]);

          /* A bare ellipsis or arrow goes only after a "Read more". */
          if (len >= tail && g_str_has_suffix (text, tails[i]) &&
              (i < 4 || i > 8 || ends_with_more_link (text, len - tail)))
            {
              text[len - tail] = '\0';
              g_strchomp (text);
              trimmed = TRUE;
              break;
            }
        }
    }
  return g_steal_pointer (&text);
}

const char *
dtx_article_get_excerpt (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return self->excerpt;
}

void
dtx_article_set_excerpt (DtxArticle *self,
                         const char *excerpt)
{
  g_autofree char *trimmed = trim_excerpt (excerpt);

  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (set_str (&self->excerpt, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCERPT]);
}

const char *
dtx_article_get_content (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return self->content;
}

char *
dtx_article_ref_content (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return self->content != NULL ? g_ref_string_acquire (self->content) : NULL;
}

/* Takes content, a GRefString reference. */
static void
replace_content (DtxArticle *self,
                 char       *content)
{
  g_clear_pointer (&self->content, g_ref_string_release);
  self->content = content;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

void
dtx_article_set_content_ref (DtxArticle *self,
                             char       *content)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (content != self->content && g_strcmp0 (self->content, content) != 0)
    replace_content (self, content != NULL ? g_ref_string_acquire (content) : NULL);
}

void
dtx_article_set_content (DtxArticle *self,
                         const char *content)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (g_strcmp0 (self->content, content) != 0)
    replace_content (self, content != NULL ? g_ref_string_new (content) : NULL);
}

STRING_ACCESSORS (author, PROP_AUTHOR)
STRING_ACCESSORS (image_url, PROP_IMAGE_URL)
STRING_ACCESSORS (source_name, PROP_SOURCE_NAME)

gint64
dtx_article_get_id (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), 0);
  return self->id;
}

void
dtx_article_set_id (DtxArticle *self, gint64 id)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

GDateTime *
dtx_article_get_date (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return self->date;
}

static gboolean
set_date_time (GDateTime **dest, GDateTime *value)
{
  if (*dest == value || (*dest != NULL && value != NULL && g_date_time_equal (*dest, value)))
    return FALSE;
  g_clear_pointer (dest, g_date_time_unref);
  *dest = value ? g_date_time_ref (value) : NULL;
  return TRUE;
}

void
dtx_article_set_date (DtxArticle *self, GDateTime *date)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (set_date_time (&self->date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

GDateTime *
dtx_article_get_saved (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return self->saved;
}

void
dtx_article_set_saved (DtxArticle *self, GDateTime *saved)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (set_date_time (&self->saved, saved))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
}

gint64
dtx_article_get_store_id (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), 0);
  return self->store_id;
}

void
dtx_article_set_store_id (DtxArticle *self, gint64 store_id)
{
  g_return_if_fail (DTX_IS_ARTICLE (self));
  if (self->store_id == store_id)
    return;
  self->store_id = store_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ID]);
}

#define BOOLEAN_ACCESSORS(field, PROP)                                     \
  gboolean                                                                 \
  dtx_article_get_##field (DtxArticle *self)                               \
  {                                                                        \
    g_return_val_if_fail (DTX_IS_ARTICLE (self), FALSE);                   \
    return self->field;                                                    \
  }                                                                        \
                                                                           \
  void                                                                     \
  dtx_article_set_##field (DtxArticle *self, gboolean field)               \
  {                                                                        \
    g_return_if_fail (DTX_IS_ARTICLE (self));                              \
    field = !!field;                                                       \
    if (self->field == field)                                              \
      return;                                                              \
    self->field = field;                                                   \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

BOOLEAN_ACCESSORS (bookmarked, PROP_BOOKMARKED)
BOOLEAN_ACCESSORS (read, PROP_READ)

const char * const *
dtx_article_get_categories (DtxArticle *self)
{
  g_return_val_if_fail (DTX_IS_ARTICLE (self), NULL);
  return (const char * const *)self->categories;
}

void
dtx_article_set_categories (DtxArticle *self, const char * const *categories)
{
  char **old = self->categories;

  g_return_if_fail (DTX_IS_ARTICLE (self));
  /* Copy before freeing: categories may be our own array, from the getter. */
  self->categories = g_strdupv ((char **)categories);
  g_strfreev (old);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORIES]);
}
