/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-thumbnail-cache"
#include "config.h"

#include <glib/gstdio.h>

#include "dtx-error.h"
#include "dtx-thumbnail-cache.h"

/* Enough for several screens of rows; dropped wholesale when full. */
#define MAX_TEXTURES 300
/* An image that failed (would not decode, 404, no network) is not asked for
 * again for this long: rows rebind on every click and scroll. */
#define FAILURE_SECONDS (5 * 60)

struct _DtxThumbnailCache
{
  GObject     parent_instance;

  DtxFetcher *fetcher;
  char       *cache_dir;
  int         size;
  GHashTable *textures; /* url → GdkTexture */
  GHashTable *failures; /* url → Failure */
};

typedef struct {
  gint64  until; /* monotonic µs */
  GError *error;
} Failure;

static void
failure_free (Failure *failure)
{
  g_clear_error (&failure->error);
  g_free (failure);
}

G_DEFINE_FINAL_TYPE (DtxThumbnailCache, dtx_thumbnail_cache, G_TYPE_OBJECT)

/* The disk cache's file for an image URL. */
static char *
file_name_for (const char *url)
{
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);

  return g_strconcat (name, ".png", NULL);
}

static void
dtx_thumbnail_cache_finalize (GObject *object)
{
  DtxThumbnailCache *self = (DtxThumbnailCache *)object;

  g_clear_object (&self->fetcher);
  g_clear_pointer (&self->cache_dir, g_free);
  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);

  G_OBJECT_CLASS (dtx_thumbnail_cache_parent_class)->finalize (object);
}

static void
dtx_thumbnail_cache_class_init (DtxThumbnailCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dtx_thumbnail_cache_finalize;
}

static void
dtx_thumbnail_cache_init (DtxThumbnailCache *self)
{
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)failure_free);
}

DtxThumbnailCache *
dtx_thumbnail_cache_new (DtxFetcher *fetcher,
                         const char *cache_dir,
                         int         size)
{
  DtxThumbnailCache *self = g_object_new (DTX_TYPE_THUMBNAIL_CACHE, NULL);

  self->fetcher = g_object_ref (fetcher);
  self->cache_dir = g_strdup (cache_dir);
  self->size = size;
  return self;
}

typedef struct {
  char   *url;
  char   *path;  /* on-disk copy, or NULL */
  int     size;
  GBytes *bytes; /* downloaded image, or NULL to read path */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->url);
  g_free (data->path);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_free (data);
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  double scale;

  if (width <= 0 || height <= 0)
    return;
  /* Fill a size×size square (the row crops to cover), never upscale. */
  scale = MAX ((double)size / width, (double)size / height);
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int)(width * scale)), MAX (1, (int)(height * scale)));
}

static GdkPixbuf *
decode_scaled (GBytes  *bytes,
               int      size,
               GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) square = NULL;
  GdkPixbuf *pixbuf;
  int side;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), GINT_TO_POINTER (size));
  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, error) ||
      !gdk_pixbuf_loader_close (loader, error))
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, DTX_ERROR, DTX_ERROR_PARSE, "The image could not be decoded.");
      return NULL;
    }
  /* The centre square, so every row's thumbnail has the same size. */
  side = MIN (MIN (gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf)), size);
  square = gdk_pixbuf_new_subpixbuf (pixbuf,
                                     (gdk_pixbuf_get_width (pixbuf) - side) / 2,
                                     (gdk_pixbuf_get_height (pixbuf) - side) / 2,
                                     side, side);
  /* A copy, so the full-size pixbuf is freed. */
  return gdk_pixbuf_copy (square);
}

/* Worker thread: decode (and keep a scaled copy on disk), or read that copy. */
static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (data->bytes == NULL)
    {
      pixbuf = gdk_pixbuf_new_from_file (data->path, &error);
      if (pixbuf == NULL && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_unlink (data->path); /* damaged: fetched again next time */
    }
  else
    {
      pixbuf = decode_scaled (data->bytes, data->size, &error);
      if (pixbuf != NULL && data->path != NULL)
        {
          g_autofree char *dir = g_path_get_dirname (data->path);
          g_autofree char *tmp = g_strconcat (data->path, ".tmp", NULL);

          /* Written aside then renamed, so a crash never leaves half a file. */
          if (g_mkdir_with_parents (dir, 0700) == 0 &&
              gdk_pixbuf_save (pixbuf, tmp, "png", NULL, NULL))
            g_rename (tmp, data->path);
        }
    }

  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
}

static void
remember (DtxThumbnailCache *self,
          const char        *url,
          GdkTexture        *texture)
{
  if (g_hash_table_size (self->textures) >= MAX_TEXTURES)
    g_hash_table_remove_all (self->textures);
  g_hash_table_insert (self->textures, g_strdup (url), g_object_ref (texture));
}

static void
remember_failure (DtxThumbnailCache *self,
                  const char        *url,
                  const GError      *error)
{
  Failure *failure;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_hash_table_size (self->failures) >= MAX_TEXTURES)
    g_hash_table_remove_all (self->failures);
  failure = g_new0 (Failure, 1);
  failure->until = g_get_monotonic_time () + FAILURE_SECONDS * G_USEC_PER_SEC;
  failure->error = g_error_copy (error);
  g_hash_table_insert (self->failures, g_strdup (url), failure);
}

static void on_fetched (GObject *object, GAsyncResult *result, gpointer user_data);

static void
on_decoded (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DtxThumbnailCache *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GdkTexture) texture = NULL;

  /* Not on disk yet: the worker looked, so the UI thread never does. */
  if (data->bytes == NULL && g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      dtx_fetcher_get_async (self->fetcher, data->url, cancellable, on_fetched, g_steal_pointer (&task));
      return;
    }
  if (pixbuf == NULL)
    {
      remember_failure (self, data->url, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  remember (self, data->url, texture);
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
decode_async (GTask *task)
{
  GTask *worker = g_task_new (g_task_get_source_object (task),
                              g_task_get_cancellable (task),
                              on_decoded, task);

  g_task_set_task_data (worker, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (worker, decode_thread);
  g_object_unref (worker);
}

static void
on_fetched (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxResponse) response = dtx_fetcher_get_finish (DTX_FETCHER (object), result, &error);

  if (response == NULL || !dtx_response_check_ok (response, &error))
    {
      remember_failure (g_task_get_source_object (task), data->url, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->bytes = g_bytes_ref (response->body);
  decode_async (g_steal_pointer (&task));
}

void
dtx_thumbnail_cache_load_async (DtxThumbnailCache   *self,
                                const char          *url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;
  GdkTexture *texture;
  Failure *failure;

  g_return_if_fail (DTX_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_thumbnail_cache_load_async);

  texture = g_hash_table_lookup (self->textures, url);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }
  failure = g_hash_table_lookup (self->failures, url);
  if (failure != NULL && failure->until > g_get_monotonic_time ())
    {
      g_task_return_error (task, g_error_copy (failure->error));
      return;
    }
  g_hash_table_remove (self->failures, url);

  data = g_new0 (LoadData, 1);
  data->url = g_strdup (url);
  data->size = self->size;
  if (self->cache_dir != NULL)
    {
      g_autofree char *file = file_name_for (url);
      data->path = g_build_filename (self->cache_dir, file, NULL);
    }
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);

  if (data->path != NULL)
    decode_async (g_steal_pointer (&task));
  else
    dtx_fetcher_get_async (self->fetcher, url, cancellable, on_fetched, g_steal_pointer (&task));
}

/* Trimming the disk cache */

typedef struct {
  char       *cache_dir;
  GHashTable *keep; /* file names */
  gint64      cutoff; /* unix seconds */
} TrimData;

static void
trim_data_free (TrimData *data)
{
  g_free (data->cache_dir);
  g_hash_table_unref (data->keep);
  g_free (data);
}

static void
trim_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TrimData *data = task_data;
  g_autoptr(GFile) dir = g_file_new_for_path (data->cache_dir);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  gssize n_deleted = 0;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, &error);
  if (children == NULL)
    {
      /* No cache yet: nothing to trim. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_int (task, 0);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while ((info = g_file_enumerator_next_file (children, cancellable, &error)) != NULL)
    {
      const char *name = g_file_info_get_name (info);
      guint64 mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);

      if (g_str_has_suffix (name, ".png") && !g_hash_table_contains (data->keep, name) &&
          (gint64)mtime < data->cutoff)
        {
          g_autofree char *path = g_build_filename (data->cache_dir, name, NULL);
          if (g_unlink (path) == 0)
            n_deleted++;
        }
      g_object_unref (info);
    }
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, n_deleted);
}

void
dtx_thumbnail_cache_trim_async (DtxThumbnailCache   *self,
                                guint                keep_days,
                                const char * const  *keep_urls,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TrimData *data;

  g_return_if_fail (DTX_IS_THUMBNAIL_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_thumbnail_cache_trim_async);
  if (self->cache_dir == NULL)
    {
      g_task_return_int (task, 0);
      return;
    }

  data = g_new0 (TrimData, 1);
  data->cache_dir = g_strdup (self->cache_dir);
  data->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->cutoff = g_get_real_time () / G_USEC_PER_SEC - (gint64)keep_days * 24 * 3600;
  for (guint i = 0; keep_urls != NULL && keep_urls[i] != NULL; i++)
    g_hash_table_add (data->keep, file_name_for (keep_urls[i]));
  g_task_set_task_data (task, data, (GDestroyNotify)trim_data_free);
  g_task_run_in_thread (task, trim_thread);
}

gssize
dtx_thumbnail_cache_trim_finish (DtxThumbnailCache  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

GdkTexture *
dtx_thumbnail_cache_load_finish (DtxThumbnailCache  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
