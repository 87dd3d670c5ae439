/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-article.h"

G_BEGIN_DECLS

#define DTX_STORE_ERROR (dtx_store_error_quark ())

typedef enum {
  DTX_STORE_ERROR_IO,        /* the disk refused: full, permissions, I/O error */
  DTX_STORE_ERROR_NEWER,     /* written by a newer version: opened read-only */
  DTX_STORE_ERROR_READ_ONLY, /* a write to a store opened read-only */
  DTX_STORE_ERROR_BAD_FILE,  /* an import file that is not a bookmarks file */
  DTX_STORE_ERROR_EXISTS,    /* add_source: that url is stored already */
} DtxStoreError;

GQuark dtx_store_error_quark (void);

/* Which articles a list query returns. */
typedef enum {
  DTX_STORE_LIST_ALL       = 0,
  DTX_STORE_LIST_BOOKMARKS = 1 << 0, /* bookmarks only, newest saved first */
  DTX_STORE_LIST_UNREAD    = 1 << 1, /* unread only */
} DtxStoreListFlags;

#define DTX_TYPE_STORE (dtx_store_get_type ())
G_DECLARE_FINAL_TYPE (DtxStore, dtx_store, DTX, STORE, GObject)

/* The articles, bookmarks, read state and search index, in one SQLite file.
 * One worker thread owns the only connection; every call below is queued
 * there in order and completes in the caller's thread-default main context,
 * so the UI thread never runs SQL. Articles are keyed by (source URL, remote
 * id, or the link when there is no id) and updated in place.
 *
 * Articles handed to a call are read on the calling thread (a snapshot is
 * queued), and articles given back are new objects owned by the caller. */
DtxStore   *dtx_store_new        (const char *path);
const char *dtx_store_get_path   (DtxStore   *self);
/* TRUE when the file was written by a newer version (see open_finish). */
gboolean    dtx_store_is_read_only (DtxStore *self);

/* Waits for the open queued by dtx_store_new(). A damaged or unreadable
 * file was moved aside (path + ".corrupt-YYYYMMDD-HHMMSS") and a fresh one
 * created, carrying over the bookmarks that could still be read: then
 * *moved_to is that path and *n_recovered the bookmarks carried over.
 * A newer file: DTX_STORE_ERROR_NEWER, and the store stays usable read-only. */
void      dtx_store_open_async  (DtxStore             *self,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gboolean  dtx_store_open_finish (DtxStore             *self,
                                 GAsyncResult         *result,
                                 char                **moved_to,
                                 guint                *n_recovered,
                                 GError              **error);

/* Stores a fetched page of source_url in one transaction: new articles are
 * inserted, known ones updated in place (bookmark and read state kept).
 * On success each article's store-id, bookmarked, saved and read are set
 * from the store, and *n_new counts the articles not stored before.
 * The store's thread reads the articles: change none of them until then
 * (a fetched page is nobody else's yet). */
void      dtx_store_save_articles_async  (DtxStore            *self,
                                          const char          *source_url,
                                          GPtrArray           *articles,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  dtx_store_save_articles_finish (DtxStore            *self,
                                          GAsyncResult        *result,
                                          guint               *n_new,
                                          GError             **error);

/* A page of stored articles, without their content (see load_content):
 * source_url NULL for every source; search NULL or empty for no search,
 * else an FTS5 prefix search over title, excerpt and body text ranked by
 * bm25. Order: bookmarks newest saved first; otherwise newest date first
 * (then store id); search results by rank. A GPtrArray of DtxArticle. */
void       dtx_store_list_async  (DtxStore            *self,
                                  const char          *source_url,
                                  DtxStoreListFlags    flags,
                                  const char          *search,
                                  guint                offset,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
GPtrArray *dtx_store_list_finish (DtxStore            *self,
                                  GAsyncResult        *result,
                                  GError             **error);

/* What list_query returns: source_url NULL for every source; category NULL
 * for every category, else only articles carrying exactly that category name;
 * flags and search as for dtx_store_list_async(). */
typedef struct {
  const char        *source_url;
  const char        *category;
  DtxStoreListFlags  flags;
  const char        *search;
  guint              offset;
  guint              limit;
} DtxStoreQuery;

/* dtx_store_list_async() with a category filter: the query is copied. */
void       dtx_store_list_query_async  (DtxStore            *self,
                                        const DtxStoreQuery *query,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GPtrArray *dtx_store_list_query_finish (DtxStore            *self,
                                        GAsyncResult        *result,
                                        GError             **error);

/* The unread articles of every source in one query: a GHashTable from
 * source URL (char *) to its count (GUINT_TO_POINTER); sources without
 * unread articles are absent. */
void        dtx_store_count_unread_async  (DtxStore            *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GHashTable *dtx_store_count_unread_finish (DtxStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* A followed source as the sources table keeps it. kind is a DtxSourceKind;
 * retry_after and last_refresh are g_get_real_time() microseconds (0: none). */
typedef struct {
  char   *url;            /* the key: the source's articles use it as source_url */
  int     kind;
  char   *api_root;
  char   *custom_title;
  char   *site_title;
  char   *icon_url;
  int     position;       /* 0 first; list_sources orders by it */
  char   *etag;
  char   *last_modified;
  gint64  retry_after;
  char   *last_error;
  gint64  last_refresh;
  char   *categories;     /* what the source manager keeps of them (JSON), or NULL */
} DtxStoreSource;

#define DTX_TYPE_STORE_SOURCE (dtx_store_source_get_type ())
GType           dtx_store_source_get_type (void) G_GNUC_CONST;
DtxStoreSource *dtx_store_source_new      (const char *url);
DtxStoreSource *dtx_store_source_copy     (const DtxStoreSource *self);
void            dtx_store_source_free     (DtxStoreSource *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxStoreSource, dtx_store_source_free)

/* Every stored source, in position order: a GPtrArray of DtxStoreSource. */
void       dtx_store_list_sources_async  (DtxStore            *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
GPtrArray *dtx_store_list_sources_finish (DtxStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Stores a new source after the others (its position is ignored):
 * DTX_STORE_ERROR_EXISTS when its url is stored already. */
void      dtx_store_add_source_async  (DtxStore             *self,
                                       const DtxStoreSource *source,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  dtx_store_add_source_finish (DtxStore             *self,
                                       GAsyncResult         *result,
                                       GError              **error);

/* Writes every column of the stored source with that url but its position
 * (a url not stored is no error: it was removed meanwhile). */
void      dtx_store_update_source_async  (DtxStore             *self,
                                          const DtxStoreSource *source,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  dtx_store_update_source_finish (DtxStore             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* Deletes the source and its articles, except the bookmarked ones, in one
 * transaction, then emits ::articles-changed (url). */
void      dtx_store_remove_source_async  (DtxStore            *self,
                                          const char          *url,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  dtx_store_remove_source_finish (DtxStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Sets each stored source's position to its index in urls (NULL-terminated);
 * stored sources not named keep their order after them. */
void      dtx_store_reorder_sources_async  (DtxStore            *self,
                                            const char * const  *urls,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  dtx_store_reorder_sources_finish (DtxStore            *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Fills in the stored content of an article that has a store-id. */
void       dtx_store_load_content_async  (DtxStore            *self,
                                          DtxArticle          *article,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean   dtx_store_load_content_finish (DtxStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* The stored article (with content) whose link is url, or NULL without an
 * error when there is none. */
void        dtx_store_find_url_async  (DtxStore            *self,
                                       const char          *url,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
DtxArticle *dtx_store_find_url_finish (DtxStore            *self,
                                       GAsyncResult        *result,
                                       GError             **error);

/* Bookmarks or un-bookmarks an article, storing it first (content
 * included) when it is not stored yet. The transaction is committed to disk
 * before the call completes, so a bookmark shown as saved survives a crash.
 * On success the article's store-id, bookmarked and saved are set and
 * ::article-changed is emitted. */
void      dtx_store_set_bookmarked_async  (DtxStore            *self,
                                           const char          *source_url,
                                           DtxArticle          *article,
                                           gboolean             bookmarked,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean  dtx_store_set_bookmarked_finish (DtxStore            *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Marks one article read or unread (stored first when it is not), then
 * sets its read property and emits ::article-changed. */
void      dtx_store_set_read_async  (DtxStore            *self,
                                     const char          *source_url,
                                     DtxArticle          *article,
                                     gboolean             read,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  dtx_store_set_read_finish (DtxStore            *self,
                                     GAsyncResult        *result,
                                     GError             **error);

/* Marks every article of source_url (NULL: of every source) read, then
 * emits ::articles-changed. */
void      dtx_store_mark_all_read_async  (DtxStore            *self,
                                          const char          *source_url,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean  dtx_store_mark_all_read_finish (DtxStore            *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Deletes articles first stored more than keep_days ago that are not
 * bookmarked, then emits ::articles-changed when any went. *n_deleted counts
 * them; *keep_images (free with g_strfreev) lists the image URLs of every
 * remaining article, for trimming an image cache alongside. */
void      dtx_store_trim_async  (DtxStore            *self,
                                 guint                keep_days,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean  dtx_store_trim_finish (DtxStore            *self,
                                 GAsyncResult        *result,
                                 guint               *n_deleted,
                                 char              ***keep_images,
                                 GError             **error);

/* Writes every bookmark to file as a JSON array of objects with url, title,
 * author, date, source, saved, excerpt, content, image and categories (dates
 * in ISO 8601). *n_written counts them. The file is replaced atomically. */
void      dtx_store_export_bookmarks_async  (DtxStore            *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  dtx_store_export_bookmarks_finish (DtxStore            *self,
                                             GAsyncResult        *result,
                                             guint               *n_written,
                                             GError             **error);

/* Merges a file written by export: bookmarks whose url is already
 * bookmarked are skipped. A file that is not such an array (malformed JSON,
 * another shape, an entry without an http(s) url) is DTX_STORE_ERROR_BAD_FILE
 * and changes nothing. Emits ::articles-changed when any were added. */
void      dtx_store_import_bookmarks_async  (DtxStore            *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  dtx_store_import_bookmarks_finish (DtxStore            *self,
                                             GAsyncResult        *result,
                                             guint               *n_added,
                                             guint               *n_skipped,
                                             GError             **error);

/* Runs what is queued, then closes the file and ends the worker thread,
 * whoever still holds the store: the app calls it when it quits, so the
 * next start needs no full check of the file. Later calls fail with
 * G_IO_ERROR_CLOSED. */
void      dtx_store_close (DtxStore *self);

/* Signals, emitted in the main context of the thread that created the store:
 *   ::article-changed (gint64 store_id, gboolean bookmarked, gboolean read)
 *       after set_bookmarked or set_read;
 *   ::articles-changed (const char *source_url or NULL for several sources)
 *       after save_articles stored anything new or changed, mark_all_read,
 *       trim and import. */

G_END_DECLS
