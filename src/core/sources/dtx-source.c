/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>

#include "dtx-error.h"
#include "dtx-feed.h"
#include "dtx-json.h"
#include "dtx-source.h"
#include "dtx-source-private.h"
#include "dtx-feed-source.h"
#include "dtx-wordpress-source.h"
#include "dtx-wordpress.h"

typedef struct
{
  DtxFetcher    *fetcher;
  char          *url;       /* normalised */
  char          *host;      /* for display and ownership, without "www." */
  char          *feed_url;
  char          *api_root;  /* set once REST answered */
  char          *site_title; /* the REST root's or the feed's name; NULL until known */
  char          *custom_title;
  char          *icon_url;
  char          *error;
  char          *etag;
  char          *last_modified;
  gint64         retry_after;
  guint          unread_count;
  gboolean       refreshing;
  DtxSourceKind  kind;
  guint          total_pages;
  gboolean       root_asked;      /* the REST root was asked for the name once */
  gboolean       from_feed;       /* the last first page is the feed's: REST failed */
} DtxSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DtxSource, dtx_source, G_TYPE_OBJECT)

#define PRIV(s) ((DtxSourcePrivate *) dtx_source_get_instance_private (DTX_SOURCE (s)))

enum {
  PROP_0,
  PROP_FETCHER,
  PROP_URL,
  PROP_KIND,
  PROP_TITLE,
  PROP_TOTAL_PAGES,
  PROP_CUSTOM_TITLE,
  PROP_SITE_TITLE,
  PROP_ICON_URL,
  PROP_UNREAD_COUNT,
  PROP_ERROR,
  PROP_REFRESHING,
  PROP_API_ROOT,
  PROP_RETRY_AFTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void        real_fetch_page_async     (DtxSource *self, guint page, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
static GPtrArray  *real_fetch_page_finish    (DtxSource *self, GAsyncResult *result, GError **error);
static void        real_fetch_article_async  (DtxSource *self, const char *url, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
static DtxArticle *real_fetch_article_finish (DtxSource *self, GAsyncResult *result, GError **error);
static void        real_search_async         (DtxSource *self, const char *text, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
static GPtrArray  *real_search_finish        (DtxSource *self, GAsyncResult *result, GError **error);

/* URL helpers */

static const char *
skip_www (const char *host)
{
  if (host != NULL && g_ascii_strncasecmp (host, "www.", 4) == 0)
    return host + 4;
  return host;
}

static GUri *
parse_http_uri (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  return g_steal_pointer (&uri);
}

/* A URL the user gave that is a feed itself; decided from its shape so the
 * common case costs no extra request. */
static gboolean
url_is_feed (const char *url)
{
  g_autoptr(GUri) uri = parse_http_uri (url);
  g_autofree char *path = NULL;
  const char *query;
  static const char * const suffixes[] = {
    "/feed", "/feed/", ".xml", ".rss", ".atom", ".json", "/rss", "/rss/", "/atom", "/atom/",
  };

  if (uri == NULL)
    return FALSE;

  query = g_uri_get_query (uri);
  if (query != NULL && (g_str_has_prefix (query, "feed=") || strstr (query, "&feed=") != NULL))
    return TRUE;

  path = g_ascii_strdown (g_uri_get_path (uri), -1);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (path, suffixes[i]))
      return TRUE;

  return FALSE;
}

static char *
normalise_url (const char *url)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url));
  GString *str;
  gsize min_len;

  if (strstr (trimmed, "://") == NULL)
    str = g_string_new ("https://");
  else
    str = g_string_new (NULL);
  g_string_append (str, trimmed);

  /* "site/" and "site" are one site; a feed's path is kept verbatim since
   * servers may redirect or 404 when it changes. */
  if (!url_is_feed (str->str))
    {
      min_len = (gsize)(strstr (str->str, "://") - str->str) + 3;
      while (str->len > min_len + 1 && str->str[str->len - 1] == '/')
        g_string_truncate (str, str->len - 1);
    }

  return g_string_free (str, FALSE);
}

/* The identity of an article link: scheme, "www.", a trailing slash and the
 * fragment do not make a different article. */
static char *
link_key (const char *link)
{
  g_autoptr(GUri) uri = parse_http_uri (link);
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  const char *query;

  if (uri == NULL)
    return g_strdup (link ? link : "");

  host = g_ascii_strdown (skip_www (g_uri_get_host (uri)), -1);
  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  query = g_uri_get_query (uri);

  return g_strdup_printf ("%s:%d%s%s%s", host, g_uri_get_port (uri), path,
                          query ? "?" : "", query ? query : "");
}

static char *
last_path_segment (const char *url)
{
  g_autoptr(GUri) uri = parse_http_uri (url);
  g_auto(GStrv) parts = NULL;
  const char *last = NULL;

  if (uri == NULL)
    return NULL;

  parts = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      last = parts[i];

  return last ? g_uri_unescape_string (last, NULL) : NULL;
}

static gboolean
is_json_type (const char *type)
{
  return type != NULL &&
         (g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json"));
}

static gboolean
is_feed_type (const char *type)
{
  static const char * const types[] = {
    "application/rss+xml", "application/atom+xml", "application/feed+json",
    "application/rdf+xml", "text/xml", "application/xml",
  };

  if (type == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (type, types[i]))
      return TRUE;

  return FALSE;
}

/* Some hosts label the REST answer text/html; the body still tells. */
static gboolean
body_looks_like_json (GBytes *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  for (gsize i = 0; i < size; i++)
    {
      if (g_ascii_isspace (data[i]))
        continue;
      return data[i] == '[';
    }

  return FALSE;
}

/* Object */

static void
set_kind (DtxSource     *self,
          DtxSourceKind  kind)
{
  if (PRIV (self)->kind == kind)
    return;

  PRIV (self)->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

static void
set_total_pages (DtxSource *self,
                 guint      total_pages)
{
  if (PRIV (self)->total_pages == total_pages)
    return;

  PRIV (self)->total_pages = total_pages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_PAGES]);
}

static void
set_title (DtxSource  *self,
           const char *title)
{
  dtx_source_set_site_title (self, title);
}

static void
set_url (DtxSource  *self,
         const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_assert (PRIV (self)->url == NULL);

  PRIV (self)->url = normalise_url (url ? url : DTX_SOURCE_DEFAULT_URL);
  uri = parse_http_uri (PRIV (self)->url);
  PRIV (self)->host = g_ascii_strdown (uri ? skip_www (g_uri_get_host (uri)) : PRIV (self)->url, -1);

  if (url_is_feed (PRIV (self)->url))
    PRIV (self)->feed_url = g_strdup (PRIV (self)->url);
  else
    PRIV (self)->feed_url = g_strconcat (PRIV (self)->url, "/feed/", NULL);
}

static void
dtx_source_finalize (GObject *object)
{
  DtxSource *self = (DtxSource *)object;

  g_clear_object (&PRIV (self)->fetcher);
  g_free (PRIV (self)->url);
  g_free (PRIV (self)->host);
  g_free (PRIV (self)->feed_url);
  g_free (PRIV (self)->api_root);
  g_free (PRIV (self)->site_title);
  g_free (PRIV (self)->custom_title);
  g_free (PRIV (self)->icon_url);
  g_free (PRIV (self)->error);
  g_free (PRIV (self)->etag);
  g_free (PRIV (self)->last_modified);

  G_OBJECT_CLASS (dtx_source_parent_class)->finalize (object);
}

static void
dtx_source_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DtxSource *self = DTX_SOURCE (object);
  DtxSourcePrivate *priv = PRIV (self);

  switch (prop_id)
    {
    case PROP_FETCHER:
      g_value_set_object (value, priv->fetcher);
      break;

    case PROP_URL:
      g_value_set_string (value, priv->url);
      break;

    case PROP_KIND:
      g_value_set_uint (value, priv->kind);
      break;

    case PROP_TITLE:
      g_value_set_string (value, dtx_source_get_title (self));
      break;

    case PROP_TOTAL_PAGES:
      g_value_set_uint (value, priv->total_pages);
      break;

    case PROP_CUSTOM_TITLE:
      g_value_set_string (value, priv->custom_title);
      break;

    case PROP_SITE_TITLE:
      g_value_set_string (value, priv->site_title);
      break;

    case PROP_ICON_URL:
      g_value_set_string (value, priv->icon_url);
      break;

    case PROP_UNREAD_COUNT:
      g_value_set_uint (value, priv->unread_count);
      break;

    case PROP_ERROR:
      g_value_set_string (value, priv->error);
      break;

    case PROP_REFRESHING:
      g_value_set_boolean (value, priv->refreshing);
      break;

    case PROP_API_ROOT:
      g_value_set_string (value, priv->api_root);
      break;

    case PROP_RETRY_AFTER:
      g_value_set_int64 (value, priv->retry_after);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_source_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DtxSource *self = DTX_SOURCE (object);
  DtxSourcePrivate *priv = PRIV (self);

  switch (prop_id)
    {
    case PROP_FETCHER:
      priv->fetcher = g_value_dup_object (value);
      break;

    case PROP_URL:
      set_url (self, g_value_get_string (value));
      break;

    case PROP_KIND:
      priv->kind = g_value_get_uint (value);
      break;

    case PROP_API_ROOT:
      g_free (priv->api_root);
      priv->api_root = g_value_dup_string (value);
      break;

    case PROP_CUSTOM_TITLE:
      dtx_source_set_custom_title (self, g_value_get_string (value));
      break;

    case PROP_ICON_URL:
      dtx_source_set_icon_url (self, g_value_get_string (value));
      break;

    case PROP_UNREAD_COUNT:
      dtx_source_set_unread_count (self, g_value_get_uint (value));
      break;

    case PROP_ERROR:
      dtx_source_set_error (self, g_value_get_string (value));
      break;

    case PROP_REFRESHING:
      dtx_source_set_refreshing (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_source_constructed (GObject *object)
{
  DtxSource *self = DTX_SOURCE (object);

  G_OBJECT_CLASS (dtx_source_parent_class)->constructed (object);

  /* Sources built with g_object_new() alone still get a working session. */
  if (PRIV (self)->fetcher == NULL)
    PRIV (self)->fetcher = dtx_fetcher_new ();
}

static void
real_fetch_categories_async (DtxSource           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, real_fetch_categories_async);
  g_task_return_pointer (task, g_ptr_array_new_with_free_func ((GDestroyNotify)dtx_category_free),
                         (GDestroyNotify)g_ptr_array_unref);
}

static GPtrArray *
real_fetch_categories_finish (DtxSource     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
dtx_source_class_init (DtxSourceClass *klass)
{
  /* libxml2 wants this on the main thread before parsers run in others. */
  xmlInitParser ();

  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dtx_source_finalize;
  object_class->get_property = dtx_source_get_property;
  object_class->set_property = dtx_source_set_property;
  object_class->constructed = dtx_source_constructed;

  klass->fetch_page_async = real_fetch_page_async;
  klass->fetch_page_finish = real_fetch_page_finish;
  klass->fetch_article_async = real_fetch_article_async;
  klass->fetch_article_finish = real_fetch_article_finish;
  klass->search_async = real_search_async;
  klass->search_finish = real_search_finish;
  klass->fetch_categories_async = real_fetch_categories_async;
  klass->fetch_categories_finish = real_fetch_categories_finish;

  properties[PROP_FETCHER] =
    g_param_spec_object ("fetcher", NULL, NULL,
                         DTX_TYPE_FETCHER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         DTX_SOURCE_DEFAULT_URL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* DtxSourceKind has no registered GType; a uint keeps the header as is.
   * Given at construction, then changed by probing. */
  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL,
                       DTX_SOURCE_KIND_UNKNOWN, DTX_SOURCE_KIND_FEED, DTX_SOURCE_KIND_UNKNOWN,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOTAL_PAGES] =
    g_param_spec_uint ("total-pages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CUSTOM_TITLE] =
    g_param_spec_string ("custom-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SITE_TITLE] =
    g_param_spec_string ("site-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ICON_URL] =
    g_param_spec_string ("icon-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_ROOT] =
    g_param_spec_string ("api-root", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_RETRY_AFTER] =
    g_param_spec_int64 ("retry-after", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dtx_source_init (DtxSource *self)
{
}

DtxSource *
dtx_source_new (DtxFetcher *fetcher,
                const char *url)
{
  return dtx_source_new_for_kind (fetcher, url, DTX_SOURCE_KIND_UNKNOWN, NULL);
}

DtxSource *
dtx_source_new_for_kind (DtxFetcher    *fetcher,
                         const char    *url,
                         DtxSourceKind  kind,
                         const char    *api_root)
{
  g_autofree char *normalised = NULL;
  GType type;

  g_return_val_if_fail (DTX_IS_FETCHER (fetcher), NULL);
  g_return_val_if_fail (kind <= DTX_SOURCE_KIND_FEED, NULL);

  normalised = normalise_url (url ? url : DTX_SOURCE_DEFAULT_URL);
  if (kind == DTX_SOURCE_KIND_FEED ||
      (kind == DTX_SOURCE_KIND_UNKNOWN && url_is_feed (normalised)))
    type = DTX_TYPE_FEED_SOURCE;
  else
    type = DTX_TYPE_WORDPRESS_SOURCE;

  /* A WordPress source without its root probes for it, as an unknown one does. */
  if (kind == DTX_SOURCE_KIND_WORDPRESS && (api_root == NULL || *api_root == '\0'))
    kind = DTX_SOURCE_KIND_UNKNOWN;

  return g_object_new (type,
                       "fetcher", fetcher,
                       "url", url,
                       "kind", kind,
                       "api-root", kind == DTX_SOURCE_KIND_WORDPRESS ? api_root : NULL,
                       NULL);
}

DtxFetcher *
dtx_source_get_fetcher (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->fetcher;
}

const char *
dtx_source_get_url (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->url;
}

DtxSourceKind
dtx_source_get_kind (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), DTX_SOURCE_KIND_UNKNOWN);

  return PRIV (self)->kind;
}

gboolean
dtx_source_get_from_feed (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  return PRIV (self)->from_feed;
}

const char *
dtx_source_get_title (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = PRIV (self);
  if (priv->custom_title != NULL)
    return priv->custom_title;
  if (priv->site_title != NULL)
    return priv->site_title;
  return priv->host;
}

guint
dtx_source_get_total_pages (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  return PRIV (self)->total_pages;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

const char *
dtx_source_get_custom_title (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->custom_title;
}

void
dtx_source_set_custom_title (DtxSource  *self,
                             const char *title)
{
  g_autofree char *plain = NULL;

  g_return_if_fail (DTX_IS_SOURCE (self));

  /* An empty or blank rename gives the site's own name back. */
  plain = title ? g_strstrip (g_strdup (title)) : NULL;
  if (plain != NULL && *plain == '\0')
    g_clear_pointer (&plain, g_free);

  if (!set_string (&PRIV (self)->custom_title, plain))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
dtx_source_get_site_title (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->site_title;
}

void
dtx_source_set_site_title (DtxSource  *self,
                           const char *title)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  if (title == NULL || *title == '\0' || !set_string (&PRIV (self)->site_title, title))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SITE_TITLE]);
  if (PRIV (self)->custom_title == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
dtx_source_get_icon_url (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->icon_url;
}

void
dtx_source_set_icon_url (DtxSource  *self,
                         const char *url)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  if (url != NULL && *url == '\0')
    url = NULL;
  if (set_string (&PRIV (self)->icon_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_URL]);
}

const char *
dtx_source_get_api_root (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->api_root;
}

guint
dtx_source_get_unread_count (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  return PRIV (self)->unread_count;
}

void
dtx_source_set_unread_count (DtxSource *self,
                             guint      n)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  if (PRIV (self)->unread_count == n)
    return;

  PRIV (self)->unread_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

const char *
dtx_source_get_error (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->error;
}

void
dtx_source_set_error (DtxSource  *self,
                      const char *message)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  if (message != NULL && *message == '\0')
    message = NULL;
  if (set_string (&PRIV (self)->error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
dtx_source_get_refreshing (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  return PRIV (self)->refreshing;
}

void
dtx_source_set_refreshing (DtxSource *self,
                           gboolean   refreshing)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  refreshing = !!refreshing;
  if (PRIV (self)->refreshing == refreshing)
    return;

  PRIV (self)->refreshing = refreshing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

void
dtx_source_set_validators (DtxSource  *self,
                           const char *etag,
                           const char *last_modified)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  set_string (&PRIV (self)->etag, etag && *etag ? etag : NULL);
  set_string (&PRIV (self)->last_modified, last_modified && *last_modified ? last_modified : NULL);
}

const char *
dtx_source_get_etag (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->etag;
}

const char *
dtx_source_get_last_modified (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  return PRIV (self)->last_modified;
}

gint64
dtx_source_get_retry_after (DtxSource *self)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  return PRIV (self)->retry_after;
}

void
dtx_source_set_retry_after (DtxSource *self,
                            gint64     when)
{
  g_return_if_fail (DTX_IS_SOURCE (self));

  when = MAX (when, 0);
  if (PRIV (self)->retry_after == when)
    return;

  PRIV (self)->retry_after = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AFTER]);
}

gboolean
dtx_source_owns_url (DtxSource  *self,
                     const char *url)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  uri = parse_http_uri (url);
  if (uri == NULL)
    return FALSE;

  return g_ascii_strcasecmp (skip_www (g_uri_get_host (uri)), PRIV (self)->host) == 0;
}

/* Pages */

typedef enum {
  STEP_REST,           /* kind known: plain page fetch */
  STEP_REST_PROBE,     /* first try at {url}/wp-json/ */
  STEP_REST_ANNOUNCED, /* the root the home page announced */
} RestStep;

typedef struct {
  guint      page;
  RestStep   step;
  char      *root;       /* the API root being tried */
  GError    *rest_error; /* REST failed and the feed is being tried */
  GPtrArray *articles;   /* page 1, while the REST root tells the site's name */
} PageOp;

static void
page_op_free (PageOp *op)
{
  g_free (op->root);
  g_clear_error (&op->rest_error);
  g_clear_pointer (&op->articles, g_ptr_array_unref);
  g_free (op);
}

static void
return_empty (GTask *task)
{
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_EMPTY,
                           _("There are no articles yet."));
}

static void
return_articles (GTask     *task,
                 GPtrArray *articles) /* owned */
{
  DtxSource *self = g_task_get_source_object (task);

  for (guint i = 0; i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);
      const char *name = dtx_article_get_source_name (article);

      if (name == NULL || *name == '\0')
        dtx_article_set_source_name (article, dtx_source_get_title (self));
    }

  g_task_return_pointer (task, articles, (GDestroyNotify)g_ptr_array_unref);
}

static void start_rest (GTask *task, const char *root, RestStep step);
static void start_home (GTask *task);
static void start_feed (GTask *task);
static void start_root (GTask *task);

/* When the feed stood in for a failing REST API, REST's failure is the
 * one to report. */
static void
return_feed_error (GTask  *task,
                   GError *error) /* owned */
{
  PageOp *op = g_task_get_task_data (task);

  if (op->rest_error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_message ("The feed did not stand in either: %s", error->message);
      g_error_free (error);
      g_task_return_error (task, g_steal_pointer (&op->rest_error));
    }
  else
    g_task_return_error (task, error);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GDateTime *da = dtx_article_get_date (*(DtxArticle **)a);
  GDateTime *db = dtx_article_get_date (*(DtxArticle **)b);

  if (da == NULL || db == NULL)
    return (da == NULL) - (db == NULL); /* undated last */
  return g_date_time_compare (db, da);
}

/* REST failed (5xx, a timeout, a body that is not a list of posts): the
 * feed may still have the latest articles. */
static void
fall_back_to_feed (GTask  *task,
                   GError *error) /* owned */
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  g_message ("%s: REST failed (%s), trying the feed", PRIV (self)->url, error->message);
  g_clear_error (&op->rest_error);
  op->rest_error = error;
  start_feed (task);
}

/* Parsing runs in a worker thread: a 10 MiB feed takes a second or more to
 * parse, and the window must keep painting meanwhile. The articles come back
 * in one array, so the list takes them in one step. */

typedef struct {
  GTask       *task;      /* the page fetch this parse belongs to */
  DtxResponse *response;
  char        *source_name;
  gboolean     feed;
  char        *feed_title; /* out, feeds only */
} ParseJob;

static GThread *last_parse_thread;

static void
parse_job_free (ParseJob *job)
{
  g_clear_object (&job->task);
  g_clear_pointer (&job->response, dtx_response_free);
  g_free (job->source_name);
  g_free (job->feed_title);
  g_free (job);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GPtrArray *articles;
  GError *error = NULL;

  g_atomic_pointer_set (&last_parse_thread, g_thread_self ());
  if (job->feed)
    articles = dtx_feed_parse (job->response->body, job->response->uri, &job->feed_title, &error);
  else
    articles = dtx_wordpress_parse_posts (job->response->body, job->source_name, &error);

  if (articles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, articles, (GDestroyNotify)g_ptr_array_unref);
}

/* Takes the response; the callback gets it back, parsed, through parse_finish. */
static void
parse_async (GTask               *page_task,
             DtxResponse         *response,
             gboolean             feed,
             GAsyncReadyCallback  callback)
{
  DtxSource *self = g_task_get_source_object (page_task);
  g_autoptr(GTask) task = g_task_new (self, g_task_get_cancellable (page_task), callback, NULL);
  ParseJob *job = g_new0 (ParseJob, 1);

  job->task = g_object_ref (page_task);
  job->response = response;
  job->source_name = g_strdup (dtx_source_get_title (self));
  job->feed = feed;
  g_task_set_source_tag (task, parse_async);
  g_task_set_task_data (task, job, (GDestroyNotify)parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

/* The articles, or NULL and error; *page_task gets the page fetch the parse
 * belongs to, let go by the caller on the main thread, not wherever the
 * parse task happens to be freed. */
static GPtrArray *
parse_finish (GAsyncResult  *result,
              ParseJob     **job,
              GTask        **page_task,
              GError       **error)
{
  *job = g_task_get_task_data (G_TASK (result));
  *page_task = g_steal_pointer (&(*job)->task);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GThread *
dtx_source_get_last_parse_thread (void)
{
  return g_atomic_pointer_get (&last_parse_thread);
}

static void
feed_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DtxSource *self = DTX_SOURCE (object);
  ParseJob *job = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  PageOp *op;

  articles = parse_finish (result, &job, &task, &error);
  op = g_task_get_task_data (task);
  if (articles == NULL)
    {
      return_feed_error (task, g_steal_pointer (&error));
      return;
    }

  set_title (self, job->feed_title);
  /* In place of a failing REST API the feed stands in for this time only:
   * the next refresh asks REST again. */
  PRIV (self)->from_feed = op->rest_error != NULL;
  if (op->rest_error == NULL)
    set_kind (self, DTX_SOURCE_KIND_FEED);
  set_total_pages (self, 1);
  /* Newest first, whatever order the feed lists them in. */
  g_ptr_array_sort (articles, compare_newest_first);

  /* A feed is one page: the latest items only. */
  if (op->page > 1 || articles->len == 0)
    return_empty (task);
  else
    return_articles (task, g_steal_pointer (&articles));
}

static void
handle_feed_response (GTask       *task,
                      DtxResponse *response)
{
  GError *error = NULL;

  if (!dtx_response_check_ok (response, &error))
    return_feed_error (task, error);
  else
    parse_async (task, dtx_response_copy (response), TRUE, feed_parsed);
}

static void
feed_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DtxResponse) response = NULL;
  GError *error = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL)
    return_feed_error (task, error);
  else
    handle_feed_response (task, response);
}

static void
start_feed (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);

  g_debug ("%s: reading the feed %s", PRIV (self)->url, PRIV (self)->feed_url);
  dtx_fetcher_get_async (PRIV (self)->fetcher, PRIV (self)->feed_url,
                         g_task_get_cancellable (task),
                         feed_cb, g_object_ref (task));
}

static void
home_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autofree char *root = NULL;
  g_autofree char *type = NULL;
  const char *link;
  GError *error = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A broken server: its feed may still answer; if not, Retry. */
  if (response->status >= 500)
    {
      dtx_response_check_ok (response, &error);
      fall_back_to_feed (task, error);
      return;
    }

  /* The address the user gave serves a feed under a path we did not guess. */
  type = dtx_response_dup_content_type (response);
  if (SOUP_STATUS_IS_SUCCESSFUL (response->status) &&
      is_feed_type (type))
    {
      g_free (PRIV (self)->feed_url);
      PRIV (self)->feed_url = g_strdup (response->uri);
      handle_feed_response (task, response);
      return;
    }

  /* Several Link headers arrive comma-joined; the parser reads such lists. */
  link = soup_message_headers_get_list (response->headers, "Link");
  root = dtx_wordpress_api_root_from_link_header (link);
  if (root == NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      gsize size;
      const char *html = g_bytes_get_data (response->body, &size);

      root = dtx_wordpress_api_root_from_html (html, size);
    }

  if (root != NULL && g_strcmp0 (root, op->root) != 0)
    start_rest (task, root, STEP_REST_ANNOUNCED);
  else
    start_feed (task);
}

static void
start_home (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  g_autofree char *home = g_strconcat (PRIV (self)->url, "/", NULL);

  dtx_fetcher_get_async (PRIV (self)->fetcher, home,
                         g_task_get_cancellable (task),
                         home_cb, g_object_ref (task));
}

static void
adopt_wordpress (DtxSource   *self,
                 const char  *root,
                 DtxResponse *response)
{
  const char *pages = soup_message_headers_get_one (response->headers, "X-WP-TotalPages");
  guint64 total;

  if (g_strcmp0 (PRIV (self)->api_root, root) != 0)
    {
      g_free (PRIV (self)->api_root);
      PRIV (self)->api_root = g_strdup (root);
    }

  set_kind (self, DTX_SOURCE_KIND_WORDPRESS);

  if (pages != NULL && g_ascii_string_to_unsigned (pages, 10, 0, G_MAXUINT, &total, NULL))
    set_total_pages (self, (guint)total);
}

static void
rest_parsed (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DtxSource *self = DTX_SOURCE (object);
  ParseJob *job = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  PageOp *op;

  articles = parse_finish (result, &job, &task, &error);
  op = g_task_get_task_data (task);
  if (articles == NULL)
    {
      if (op->page == 1 && g_error_matches (error, DTX_ERROR, DTX_ERROR_PARSE))
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  adopt_wordpress (self, op->root, job->response);
  if (op->page == 1)
    PRIV (self)->from_feed = FALSE;
  if (PRIV (self)->total_pages < op->page && articles->len > 0)
    set_total_pages (self, op->page);

  if (articles->len == 0)
    return_empty (task);
  else if (!(PRIV (self)->site_title != NULL) && !PRIV (self)->root_asked)
    {
      /* Rows say the site's name, never a bare host: ask the root once. */
      op->articles = g_steal_pointer (&articles);
      start_root (task);
    }
  else
    return_articles (task, g_steal_pointer (&articles));
}

static void
rest_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  gboolean json;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL)
    {
      if (op->page == 1 && g_error_matches (error, DTX_ERROR, DTX_ERROR_TIMEOUT))
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  type = dtx_response_dup_content_type (response);
  json = is_json_type (type);

  if (SOUP_STATUS_IS_SUCCESSFUL (response->status))
    {
      if (!json && !body_looks_like_json (response->body))
        {
          /* A theme's page where the API should be: look elsewhere. */
          if (op->step == STEP_REST_PROBE)
            start_home (task);
          else if (op->step == STEP_REST_ANNOUNCED)
            start_feed (task);
          else if (op->page == 1)
            fall_back_to_feed (task, g_error_new_literal (DTX_ERROR, DTX_ERROR_PARSE,
                                                          _("The site did not answer with articles. Try again later.")));
          else
            g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_PARSE,
                                     _("The site did not answer with articles. Try again later."));
          return;
        }

      parse_async (task, g_steal_pointer (&response), FALSE, rest_parsed);
      return;
    }

  /* WordPress answers 400 rest_post_invalid_page_number past the last page. */
  if (response->status == SOUP_STATUS_BAD_REQUEST && json && op->page > 1)
    {
      adopt_wordpress (self, op->root, response);
      return_empty (task);
      return;
    }

  if (response->status >= 500 || op->step == STEP_REST)
    {
      dtx_response_check_ok (response, &error);
      if (op->page == 1 && response->status >= 500)
        fall_back_to_feed (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* 401/403: the API is closed to visitors, the feed is not. */
  if (response->status == SOUP_STATUS_UNAUTHORIZED ||
      response->status == SOUP_STATUS_FORBIDDEN ||
      op->step == STEP_REST_ANNOUNCED)
    start_feed (task);
  else
    start_home (task);
}

static void
root_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer data;
  gsize size;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Without a name the host stands in; the articles are what matters. */
  if (response != NULL && SOUP_STATUS_IS_SUCCESSFUL (response->status) &&
      (data = g_bytes_get_data (response->body, &size)) != NULL && size < G_MAXSSIZE &&
      json_parser_load_from_data (parser, data, (gssize)size, NULL))
    {
      JsonNode *root = json_parser_get_root (parser);
      const char *name = root && JSON_NODE_HOLDS_OBJECT (root)
                         ? dtx_json_nonempty_string_member (json_node_get_object (root), "name") : NULL;
      g_autofree char *plain = name ? g_strstrip (g_strdup (name)) : NULL;

      if (plain != NULL && *plain != '\0' && g_utf8_validate (plain, -1, NULL))
        set_title (self, plain);
    }
  else
    g_debug ("%s: no site name from the REST root", PRIV (self)->url);

  for (guint i = 0; i < op->articles->len; i++)
    dtx_article_set_source_name (g_ptr_array_index (op->articles, i), dtx_source_get_title (self));
  return_articles (task, g_steal_pointer (&op->articles));
}

static void
start_root (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);

  PRIV (self)->root_asked = TRUE;
  dtx_fetcher_get_async (PRIV (self)->fetcher, op->root, g_task_get_cancellable (task),
                         root_cb, g_object_ref (task));
}

static void
start_rest (GTask      *task,
            const char *root,
            RestStep    step)
{
  DtxSource *self = g_task_get_source_object (task);
  PageOp *op = g_task_get_task_data (task);
  g_autofree char *posts_url = NULL;

  if (op->root != root)
    {
      g_free (op->root);
      op->root = g_strdup (root);
    }
  op->step = step;

  posts_url = dtx_wordpress_posts_url (root, op->page, NULL);
  g_debug ("%s: page %u from %s", PRIV (self)->url, op->page, posts_url);
  dtx_fetcher_get_async (PRIV (self)->fetcher, posts_url,
                         g_task_get_cancellable (task),
                         rest_cb, g_object_ref (task));
}

static void
real_fetch_page_async (DtxSource           *self,
                             guint                page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PageOp *op;

  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (page >= 1);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_fetch_page_async);

  op = g_new0 (PageOp, 1);
  op->page = page;
  g_task_set_task_data (task, op, (GDestroyNotify)page_op_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  switch (PRIV (self)->kind)
    {
    case DTX_SOURCE_KIND_WORDPRESS:
      start_rest (task, PRIV (self)->api_root, STEP_REST);
      break;

    case DTX_SOURCE_KIND_FEED:
      if (page > 1)
        return_empty (task);
      else
        start_feed (task);
      break;

    case DTX_SOURCE_KIND_UNKNOWN:
    default:
      if (url_is_feed (PRIV (self)->url))
        {
          start_feed (task);
        }
      else
        {
          g_autofree char *root = g_strconcat (PRIV (self)->url, "/wp-json/", NULL);

          start_rest (task, root, STEP_REST_PROBE);
        }
      break;
    }
}

static GPtrArray *
real_fetch_page_finish (DtxSource     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Single article */

static void
return_not_found (GTask      *task,
                  const char *url)
{
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                           _("No article was found at %s."), url);
}

static void
return_matching (GTask     *task,
                 GPtrArray *articles)
{
  DtxSource *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);
  g_autofree char *key = link_key (url);

  for (guint i = 0; articles != NULL && i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);
      g_autofree char *candidate = link_key (dtx_article_get_link (article));

      if (g_str_equal (key, candidate))
        {
          const char *name = dtx_article_get_source_name (article);

          if (name == NULL || *name == '\0')
            dtx_article_set_source_name (article, dtx_source_get_title (self));
          g_task_return_pointer (task, g_object_ref (article), g_object_unref);
          return;
        }
    }

  return_not_found (task, url);
}

static void
slug_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  DtxArticle *article;
  const char *name;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  articles = dtx_wordpress_parse_posts (response->body, dtx_source_get_title (self), &error);
  if (articles == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (articles->len == 0)
    {
      return_not_found (task, url);
      return;
    }

  article = g_ptr_array_index (articles, 0);
  name = dtx_article_get_source_name (article);
  if (name == NULL || *name == '\0')
    dtx_article_set_source_name (article, dtx_source_get_title (self));
  g_task_return_pointer (task, g_object_ref (article), g_object_unref);
}

static void
article_feed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  articles = dtx_feed_parse (response->body, response->uri, NULL, &error);
  if (articles == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  return_matching (task, articles);
}

static void
lookup_article (GTask *task)
{
  DtxSource *self = g_task_get_source_object (task);
  const char *url = g_task_get_task_data (task);

  if (PRIV (self)->kind == DTX_SOURCE_KIND_WORDPRESS)
    {
      g_autofree char *slug = last_path_segment (url);
      g_autofree char *posts_url = NULL;

      if (slug == NULL)
        {
          return_not_found (task, url);
          return;
        }

      posts_url = dtx_wordpress_posts_url (PRIV (self)->api_root, 1, slug);
      dtx_fetcher_get_async (PRIV (self)->fetcher, posts_url,
                             g_task_get_cancellable (task),
                             slug_cb, g_object_ref (task));
    }
  else
    {
      dtx_fetcher_get_async (PRIV (self)->fetcher, PRIV (self)->feed_url,
                             g_task_get_cancellable (task),
                             article_feed_cb, g_object_ref (task));
    }
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = DTX_SOURCE (object);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = dtx_source_fetch_page_finish (self, result, &error);
  if (articles == NULL && !g_error_matches (error, DTX_ERROR, DTX_ERROR_EMPTY))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The probe already read the whole feed: no second request. */
  if (PRIV (self)->kind == DTX_SOURCE_KIND_FEED)
    return_matching (task, articles);
  else
    lookup_article (task);
}

static void
real_fetch_article_async (DtxSource           *self,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_fetch_article_async);
  g_task_set_task_data (task, g_strdup (url), g_free);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!dtx_source_owns_url (self, url))
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                               _("%s is not an article of %s."), url, dtx_source_get_title (self));
      return;
    }

  if (PRIV (self)->kind == DTX_SOURCE_KIND_UNKNOWN)
    dtx_source_fetch_page_async (self, 1, cancellable, probe_cb, g_steal_pointer (&task));
  else
    lookup_article (task);
}

static DtxArticle *
real_fetch_article_finish (DtxSource     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Site search */

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  g_autoptr(DtxResponse) response = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  articles = dtx_wordpress_parse_posts (response->body, dtx_source_get_title (self), &error);
  if (articles == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (articles->len == 0)
    return_empty (task);
  else
    g_task_return_pointer (task, g_steal_pointer (&articles), (GDestroyNotify)g_ptr_array_unref);
}

static void
real_search_async (DtxSource           *self,
                         const char          *text,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *posts_url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_search_async);

  if (PRIV (self)->kind != DTX_SOURCE_KIND_WORDPRESS || PRIV (self)->api_root == NULL)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                               _("This site cannot be searched from the app."));
      return;
    }

  posts_url = dtx_wordpress_posts_url (PRIV (self)->api_root, 1, NULL);
  escaped = g_uri_escape_string (text, NULL, FALSE);
  url = g_strconcat (posts_url, "&search=", escaped, NULL);
  dtx_fetcher_get_async (PRIV (self)->fetcher, url, cancellable, search_cb, g_steal_pointer (&task));
}

static GPtrArray *
real_search_finish (DtxSource     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Dispatch */

void
dtx_source_fetch_page_async (DtxSource           *self,
                             guint                page,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (page >= 1);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  DTX_SOURCE_GET_CLASS (self)->fetch_page_async (self, page, cancellable, callback, user_data);
}

GPtrArray *
dtx_source_fetch_page_finish (DtxSource     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return DTX_SOURCE_GET_CLASS (self)->fetch_page_finish (self, result, error);
}

void
dtx_source_fetch_article_async (DtxSource           *self,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  DTX_SOURCE_GET_CLASS (self)->fetch_article_async (self, url, cancellable, callback, user_data);
}

DtxArticle *
dtx_source_fetch_article_finish (DtxSource     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return DTX_SOURCE_GET_CLASS (self)->fetch_article_finish (self, result, error);
}

void
dtx_source_search_async (DtxSource           *self,
                         const char          *text,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  DTX_SOURCE_GET_CLASS (self)->search_async (self, text, cancellable, callback, user_data);
}

GPtrArray *
dtx_source_search_finish (DtxSource     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return DTX_SOURCE_GET_CLASS (self)->search_finish (self, result, error);
}

void
dtx_source_fetch_categories_async (DtxSource           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  DTX_SOURCE_GET_CLASS (self)->fetch_categories_async (self, cancellable, callback, user_data);
}

GPtrArray *
dtx_source_fetch_categories_finish (DtxSource     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return DTX_SOURCE_GET_CLASS (self)->fetch_categories_finish (self, result, error);
}

/* DtxCategory */

G_DEFINE_BOXED_TYPE (DtxCategory, dtx_category, dtx_category_copy, dtx_category_free)

DtxCategory *
dtx_category_new (gint64      id,
                  const char *name,
                  const char *slug,
                  guint       count)
{
  DtxCategory *category = g_new0 (DtxCategory, 1);

  category->id = id;
  category->name = g_strdup (name);
  category->slug = g_strdup (slug);
  category->count = count;
  return category;
}

DtxCategory *
dtx_category_copy (const DtxCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);

  return dtx_category_new (category->id, category->name, category->slug, category->count);
}

void
dtx_category_free (DtxCategory *category)
{
  if (category == NULL)
    return;

  g_free (category->name);
  g_free (category->slug);
  g_free (category);
}
