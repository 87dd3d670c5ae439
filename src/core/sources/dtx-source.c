/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libxml/parser.h>

#include "dtx-error.h"
#include "dtx-uri.h"
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
  char          *api_root;  /* set once REST answered */
  char          *site_title; /* the REST root's or the feed's name; NULL until known */
  char          *custom_title;
  char          *icon_url;
  char          *error;
  int            error_code;
  char          *etag;
  char          *last_modified;
  gint64         retry_after;
  guint          unread_count;
  gboolean       refreshing;
  DtxSourceKind  kind;
  guint          total_pages;
  gboolean       from_feed;       /* the last first page is the feed's: REST failed */
} DtxSourcePrivate;

/* A page's head fits in this; what follows is not read for <link> tags. */
#define HTML_HEAD_LIMIT (512 * 1024)

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DtxSource, dtx_source, G_TYPE_OBJECT)

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

/* URL helpers */

static const char *
skip_www (const char *host)
{
  if (host != NULL && g_ascii_strncasecmp (host, "www.", 4) == 0)
    return host + 4;
  return host;
}

/* A URL the user gave that is a feed itself; decided from its shape so the
 * common case costs no extra request. */
gboolean
dtx_source_url_is_feed (const char *url)
{
  g_autoptr(GUri) uri = dtx_uri_parse_http (url);
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

char *
dtx_source_normalise_url (const char *url)
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
  if (!dtx_source_url_is_feed (str->str))
    {
      min_len = (gsize)(strstr (str->str, "://") - str->str) + 3;
      while (str->len > min_len + 1 && str->str[str->len - 1] == '/')
        g_string_truncate (str, str->len - 1);
    }

  return g_string_free (str, FALSE);
}

/* The identity of an article link: scheme, "www.", a trailing slash and the
 * fragment do not make a different article. */
char *
dtx_source_link_key (const char *link)
{
  g_autoptr(GUri) uri = dtx_uri_parse_http (link);
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

/* Object */

void
dtx_source_set_kind (DtxSource     *self,
                     DtxSourceKind  kind)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  if (priv->kind == kind)
    return;

  priv->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
dtx_source_set_total_pages (DtxSource *self,
                            guint      total_pages)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  if (priv->total_pages == total_pages)
    return;

  priv->total_pages = total_pages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_PAGES]);
}

static void
set_url (DtxSource  *self,
         const char *url)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);
  g_autoptr(GUri) uri = NULL;

  g_assert (priv->url == NULL);

  if (url == NULL)
    url = DTX_SOURCE_DEFAULT_URL;

  /* A feed's address is kept as given: servers may redirect or 404 when
   * its path changes, even by a slash. */
  if (DTX_IS_FEED_SOURCE (self))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (url));

      priv->url = strstr (trimmed, "://") ? g_strdup (trimmed) : g_strconcat ("https://", trimmed, NULL);
    }
  else
    priv->url = dtx_source_normalise_url (url);

  uri = dtx_uri_parse_http (priv->url);
  priv->host = g_ascii_strdown (uri ? skip_www (g_uri_get_host (uri)) : priv->url, -1);
}

static void
dtx_source_finalize (GObject *object)
{
  DtxSource *self = (DtxSource *)object;
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  g_clear_object (&priv->fetcher);
  g_free (priv->url);
  g_free (priv->host);
  g_free (priv->api_root);
  g_free (priv->site_title);
  g_free (priv->custom_title);
  g_free (priv->icon_url);
  g_free (priv->error);
  g_free (priv->etag);
  g_free (priv->last_modified);

  G_OBJECT_CLASS (dtx_source_parent_class)->finalize (object);
}

static void
dtx_source_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DtxSource *self = DTX_SOURCE (object);
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

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
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

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
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  G_OBJECT_CLASS (dtx_source_parent_class)->constructed (object);

  /* Sources built with g_object_new() alone still get a working session. */
  if (priv->fetcher == NULL)
    priv->fetcher = dtx_fetcher_new ();
}

static void
real_search_async (DtxSource           *self,
                   const char          *text,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, real_search_async);
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_FOUND,
                           _("This site cannot be searched from the app."));
}

static GPtrArray *
real_search_finish (DtxSource     *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
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

  normalised = dtx_source_normalise_url (url ? url : DTX_SOURCE_DEFAULT_URL);
  if (kind == DTX_SOURCE_KIND_FEED ||
      (kind == DTX_SOURCE_KIND_UNKNOWN && dtx_source_url_is_feed (normalised)))
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
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->fetcher;
}

const char *
dtx_source_get_url (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->url;
}

DtxSourceKind
dtx_source_get_kind (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), DTX_SOURCE_KIND_UNKNOWN);

  priv = dtx_source_get_instance_private (self);
  return priv->kind;
}

gboolean
dtx_source_get_from_feed (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  priv = dtx_source_get_instance_private (self);
  return priv->from_feed;
}

const char *
dtx_source_get_title (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  if (priv->custom_title != NULL)
    return priv->custom_title;
  if (priv->site_title != NULL)
    return priv->site_title;
  return priv->host;
}

guint
dtx_source_get_total_pages (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  priv = dtx_source_get_instance_private (self);
  return priv->total_pages;
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
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->custom_title;
}

void
dtx_source_set_custom_title (DtxSource  *self,
                             const char *title)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  g_autofree char *plain = NULL;

  g_return_if_fail (DTX_IS_SOURCE (self));

  /* An empty or blank rename gives the site's own name back. */
  plain = title ? g_strstrip (g_strdup (title)) : NULL;
  if (plain != NULL && *plain == '\0')
    g_clear_pointer (&plain, g_free);

  if (!set_string (&priv->custom_title, plain))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
dtx_source_get_site_title (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->site_title;
}

void
dtx_source_set_site_title (DtxSource  *self,
                           const char *title)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  if (title == NULL || *title == '\0' || !set_string (&priv->site_title, title))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SITE_TITLE]);
  if (priv->custom_title == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
dtx_source_get_icon_url (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->icon_url;
}

void
dtx_source_set_icon_url (DtxSource  *self,
                         const char *url)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  if (url != NULL && *url == '\0')
    url = NULL;
  if (set_string (&priv->icon_url, url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_URL]);
}

const char *
dtx_source_get_api_root (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->api_root;
}

guint
dtx_source_get_unread_count (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  priv = dtx_source_get_instance_private (self);
  return priv->unread_count;
}

void
dtx_source_set_unread_count (DtxSource *self,
                             guint      n)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  if (priv->unread_count == n)
    return;

  priv->unread_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
}

const char *
dtx_source_get_error (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->error;
}

void
dtx_source_set_error (DtxSource  *self,
                      const char *message)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  if (message != NULL && *message == '\0')
    message = NULL;
  if (set_string (&priv->error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

int
dtx_source_get_error_code (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), -1);

  priv = dtx_source_get_instance_private (self);
  return priv->error != NULL ? priv->error_code : -1;
}

void
dtx_source_set_refresh_error (DtxSource    *self,
                              const char   *message,
                              const GError *error)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  /* Set before the message, whose notification tells the window. */
  priv->error_code = error != NULL && error->domain == DTX_ERROR ? error->code : -1;
  dtx_source_set_error (self, message);
}

gboolean
dtx_source_get_refreshing (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  priv = dtx_source_get_instance_private (self);
  return priv->refreshing;
}

void
dtx_source_set_refreshing (DtxSource *self,
                           gboolean   refreshing)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  refreshing = !!refreshing;
  if (priv->refreshing == refreshing)
    return;

  priv->refreshing = refreshing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

void
dtx_source_set_validators (DtxSource  *self,
                           const char *etag,
                           const char *last_modified)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  set_string (&priv->etag, etag && *etag ? etag : NULL);
  set_string (&priv->last_modified, last_modified && *last_modified ? last_modified : NULL);
}

const char *
dtx_source_get_etag (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->etag;
}

const char *
dtx_source_get_last_modified (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), NULL);

  priv = dtx_source_get_instance_private (self);
  return priv->last_modified;
}

gint64
dtx_source_get_retry_after (DtxSource *self)
{
  DtxSourcePrivate *priv;

  g_return_val_if_fail (DTX_IS_SOURCE (self), 0);

  priv = dtx_source_get_instance_private (self);
  return priv->retry_after;
}

void
dtx_source_set_retry_after (DtxSource *self,
                            gint64     when)
{
  DtxSourcePrivate *priv;

  g_return_if_fail (DTX_IS_SOURCE (self));

  priv = dtx_source_get_instance_private (self);
  when = MAX (when, 0);
  if (priv->retry_after == when)
    return;

  priv->retry_after = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_AFTER]);
}

gboolean
dtx_source_owns_url (DtxSource  *self,
                     const char *url)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (DTX_IS_SOURCE (self), FALSE);

  uri = dtx_uri_parse_http (url);
  if (uri == NULL)
    return FALSE;

  return g_ascii_strcasecmp (skip_www (g_uri_get_host (uri)), priv->host) == 0;
}

/* For the subclasses (dtx-source-private.h) */

const char *
dtx_source_get_host (DtxSource *self)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  return priv->host;
}

void
dtx_source_set_api_root (DtxSource  *self,
                         const char *api_root)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  if (set_string (&priv->api_root, api_root))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_ROOT]);
}

void
dtx_source_set_from_feed (DtxSource *self,
                          gboolean   from_feed)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);

  priv->from_feed = !!from_feed;
}

typedef struct {
  gboolean conditional;
} GetOp;

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxSource *self = g_task_get_source_object (task);
  GetOp *op = g_task_get_task_data (task);
  g_autoptr(DtxResponse) response = NULL;
  GError *error = NULL;
  gint64 retry_after;

  response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  retry_after = dtx_response_get_retry_after (response);
  if (retry_after > 0)
    {
      g_message ("%s asks to wait %" G_GINT64_FORMAT " s before the next request",
                 response->uri, (retry_after - g_get_real_time ()) / G_USEC_PER_SEC);
      dtx_source_set_retry_after (self, retry_after);
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (response->status) ||
           response->status == SOUP_STATUS_NOT_MODIFIED)
    dtx_source_set_retry_after (self, 0);

  if (op->conditional && response->status == SOUP_STATUS_NOT_MODIFIED)
    {
      g_debug ("%s: not modified", response->uri);
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_MODIFIED,
                               _("Nothing has changed since the last refresh."));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&response), (GDestroyNotify)dtx_response_free);
}

void
dtx_source_get_async (DtxSource           *self,
                      const char          *uri,
                      gboolean             conditional,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  DtxSourcePrivate *priv = dtx_source_get_instance_private (self);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GetOp *op = g_new0 (GetOp, 1);

  g_task_set_source_tag (task, dtx_source_get_async);
  g_task_set_task_data (task, op, g_free);
  op->conditional = conditional && (priv->etag != NULL || priv->last_modified != NULL);

  dtx_fetcher_get_conditional_async (priv->fetcher, uri,
                                     op->conditional ? priv->etag : NULL,
                                     op->conditional ? priv->last_modified : NULL,
                                     cancellable, get_cb, g_steal_pointer (&task));
}

DtxResponse *
dtx_source_get_finish (DtxSource     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dtx_source_keep_validators (DtxSource   *self,
                            DtxResponse *response)
{
  const char *etag = NULL;
  const char *last_modified = NULL;

  if (response->headers != NULL)
    {
      etag = soup_message_headers_get_one (response->headers, "ETag");
      last_modified = soup_message_headers_get_one (response->headers, "Last-Modified");
    }

  dtx_source_set_validators (self, etag, last_modified);
}

static GThread *last_parse_thread;

GThread *
dtx_source_get_last_parse_thread (void)
{
  return g_atomic_pointer_get (&last_parse_thread);
}

void
dtx_source_forget_last_parse_thread (void)
{
  g_atomic_pointer_set (&last_parse_thread, NULL);
}

void
dtx_source_parsed_free (DtxSourceParsed *parsed)
{
  if (parsed == NULL)
    return;

  g_clear_pointer (&parsed->articles, g_ptr_array_unref);
  g_free (parsed->title);
  g_free (parsed->icon_url);
  g_clear_pointer (&parsed->response, dtx_response_free);
  g_free (parsed);
}

typedef struct {
  DtxResponse        *response;
  char               *source_name;
  DtxSourceParseKind  kind;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_clear_pointer (&job->response, dtx_response_free);
  g_free (job->source_name);
  g_free (job);
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

static void
sort_newest_first (GPtrArray *articles)
{
  /* g_ptr_array_sort is a stable merge sort: undated items keep their order. */
  g_ptr_array_sort (articles, compare_newest_first);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  g_autoptr(DtxSourceParsed) parsed = g_new0 (DtxSourceParsed, 1);
  GError *error = NULL;

  g_atomic_pointer_set (&last_parse_thread, g_thread_self ());
  if (job->kind != DTX_SOURCE_PARSE_POSTS)
    {
      const char *content_type = job->response->headers
        ? soup_message_headers_get_one (job->response->headers, "Content-Type") : NULL;

      parsed->articles = dtx_feed_parse_full (job->response->body, job->response->uri,
                                              content_type, &parsed->title, &error);
      if (parsed->articles != NULL)
        {
          parsed->icon_url = dtx_source_feed_icon (job->response->body, job->response->uri);
          /* Newest first, whatever order the feed lists them in: here, not
           * in the UI thread, where 10,000 items took milliseconds. */
          if (job->kind == DTX_SOURCE_PARSE_FEED)
            sort_newest_first (parsed->articles);
        }
    }
  else
    parsed->articles = dtx_wordpress_parse_posts (job->response->body, job->source_name, &error);

  if (parsed->articles == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  parsed->response = g_steal_pointer (&job->response);
  g_task_return_pointer (task, g_steal_pointer (&parsed), (GDestroyNotify)dtx_source_parsed_free);
}

void
dtx_source_parse_async (DtxSource           *self,
                        DtxResponse         *response,
                        DtxSourceParseKind   kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ParseJob *job = g_new0 (ParseJob, 1);

  job->response = response;
  job->source_name = g_strdup (dtx_source_get_title (self));
  job->kind = kind;
  g_task_set_source_tag (task, dtx_source_parse_async);
  g_task_set_task_data (task, job, (GDestroyNotify)parse_job_free);
  g_task_run_in_thread (task, parse_thread);
}

DtxSourceParsed *
dtx_source_parse_finish (DtxSource     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dtx_source_name_articles (DtxSource *self,
                          GPtrArray *articles)
{
  for (guint i = 0; articles != NULL && i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);
      const char *name = dtx_article_get_source_name (article);

      if (name == NULL || *name == '\0')
        dtx_article_set_source_name (article, dtx_source_get_title (self));
    }
}

DtxArticle *
dtx_source_find_article (GPtrArray  *articles,
                         const char *url)
{
  g_autofree char *key = dtx_source_link_key (url);

  for (guint i = 0; articles != NULL && i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);
      g_autofree char *candidate = dtx_source_link_key (dtx_article_get_link (article));

      if (g_str_equal (key, candidate))
        return article;
    }

  return NULL;
}

gsize
dtx_source_html_head_length (const char *html,
                             gsize       length)
{
  const char *body;

  if (html == NULL)
    return 0;

  length = MIN (length, HTML_HEAD_LIMIT);
  if ((body = g_strstr_len (html, length, "<body")) != NULL)
    length = body - html;
  return length;
}

char *
dtx_source_favicon_url (const char *url)
{
  g_autoptr(GUri) uri = dtx_uri_parse_http (url);
  g_autoptr(GUri) icon = NULL;

  if (uri == NULL)
    return NULL;

  icon = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                      g_uri_get_host (uri), g_uri_get_port (uri), "/favicon.ico", NULL, NULL);
  return g_uri_to_string (icon);
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

  DTX_SOURCE_GET_CLASS (self)->fetch_page_async (self, page, FALSE, cancellable, callback, user_data);
}

void
dtx_source_refresh_async (DtxSource           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DTX_IS_SOURCE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  DTX_SOURCE_GET_CLASS (self)->fetch_page_async (self, 1, TRUE, cancellable, callback, user_data);
}

GPtrArray *
dtx_source_refresh_finish (DtxSource     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return dtx_source_fetch_page_finish (self, result, error);
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
