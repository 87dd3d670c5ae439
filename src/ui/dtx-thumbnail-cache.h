/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include "dtx-fetcher.h"

G_BEGIN_DECLS

#define DTX_TYPE_THUMBNAIL_CACHE (dtx_thumbnail_cache_get_type ())
G_DECLARE_FINAL_TYPE (DtxThumbnailCache, dtx_thumbnail_cache, DTX, THUMBNAIL_CACHE, GObject)

/* Featured images for the article list: fetched once, scaled down off the
 * UI thread, kept in memory and on disk (cache_dir may be NULL: memory only). */
DtxThumbnailCache *dtx_thumbnail_cache_new         (DtxFetcher          *fetcher,
                                                    const char          *cache_dir,
                                                    int                  size);
void               dtx_thumbnail_cache_load_async  (DtxThumbnailCache   *self,
                                                    const char          *url,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GdkTexture        *dtx_thumbnail_cache_load_finish (DtxThumbnailCache   *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Deletes files of the disk cache older than keep_days, except the images
 * whose URLs are in keep_urls (the articles still stored). Runs in a thread;
 * the result counts the files deleted. */
void               dtx_thumbnail_cache_trim_async  (DtxThumbnailCache   *self,
                                                    guint                keep_days,
                                                    const char * const  *keep_urls,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gssize             dtx_thumbnail_cache_trim_finish (DtxThumbnailCache   *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
