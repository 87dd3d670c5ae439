/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-source-discovery"
#include "config.h"

#include <glib/gi18n-lib.h>

#include "dtx-error.h"
#include "dtx-source-discovery.h"

G_DEFINE_BOXED_TYPE (DtxDiscovered, dtx_discovered, dtx_discovered_copy, dtx_discovered_free)

DtxDiscovered *
dtx_discovered_copy (const DtxDiscovered *d)
{
  DtxDiscovered *copy;

  g_return_val_if_fail (d != NULL, NULL);

  copy = g_new0 (DtxDiscovered, 1);
  copy->url = g_strdup (d->url);
  copy->kind = d->kind;
  copy->api_root = g_strdup (d->api_root);
  copy->title = g_strdup (d->title);
  copy->icon_url = g_strdup (d->icon_url);
  copy->latest = d->latest ? g_ptr_array_ref (d->latest) : NULL;
  return copy;
}

void
dtx_discovered_free (DtxDiscovered *d)
{
  if (d == NULL)
    return;

  g_free (d->url);
  g_free (d->api_root);
  g_free (d->title);
  g_free (d->icon_url);
  g_clear_pointer (&d->latest, g_ptr_array_unref);
  g_free (d);
}

DtxSource *
dtx_discovered_create_source (const DtxDiscovered *d,
                              DtxFetcher          *fetcher)
{
  DtxSource *source;

  g_return_val_if_fail (d != NULL, NULL);
  g_return_val_if_fail (DTX_IS_FETCHER (fetcher), NULL);

  source = dtx_source_new_for_kind (fetcher, d->url, d->kind, d->api_root);
  dtx_source_set_site_title (source, d->title);
  dtx_source_set_icon_url (source, d->icon_url);
  return source;
}

char *
dtx_source_discovery_youtube_feed_url (const char *url)
{
  return NULL;
}

void
dtx_source_discover_async (DtxFetcher          *fetcher,
                           const char          *typed_url,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DTX_IS_FETCHER (fetcher));
  g_return_if_fail (typed_url != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_source_discover_async);
  g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NO_FEED,
                           _("No feed was found at %s. Check the address, or paste the address of the site’s feed."),
                           typed_url);
}

GPtrArray *
dtx_source_discover_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
