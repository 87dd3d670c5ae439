/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-fetcher.h"
#include "dtx-source.h"
#include "dtx-store.h"

G_BEGIN_DECLS

/* Connection limits of a refresh: the manager's queue never runs more
 * requests than these, and the fetcher's SoupSession is set to the same. */
#define DTX_SOURCE_MANAGER_MAX_CONNS          6
#define DTX_SOURCE_MANAGER_MAX_CONNS_PER_HOST 2

#define DTX_TYPE_SOURCE_MANAGER (dtx_source_manager_get_type ())
G_DECLARE_FINAL_TYPE (DtxSourceManager, dtx_source_manager, DTX, SOURCE_MANAGER, GObject)

/* A GListModel of DtxSource in the user's order, kept in the store (sources table:
 * url, kind, api_root, custom_title, site_title, icon_url, position, etag,
 * last_modified, retry_after, last_error, last_refresh). */
DtxSourceManager *dtx_source_manager_new (DtxFetcher *fetcher, DtxStore *store);

/* Loads the sources; on the first start (none stored) adds DTX_SOURCE_DEFAULT_URL as
 * WordPress, so the first start shows DigiTripX.id already set up. A store that
 * cannot be read or written gives the default source for this run (logged; the
 * store's open reports the problem): only cancelling fails the call. */
void      dtx_source_manager_load_async  (DtxSourceManager *self, GCancellable *c, GAsyncReadyCallback cb, gpointer data);
gboolean  dtx_source_manager_load_finish (DtxSourceManager *self, GAsyncResult *r, GError **error);

/* The source whose url is url, or NULL (transfer none). */
DtxSource *dtx_source_manager_lookup (DtxSourceManager *self, const char *url);

/* Adds and stores it (DTX_ERROR_EXISTS when its url is followed); refreshes it. */
void      dtx_source_manager_add_async  (DtxSourceManager *self, DtxSource *source, GCancellable *c, GAsyncReadyCallback cb, gpointer data);
gboolean  dtx_source_manager_add_finish (DtxSourceManager *self, GAsyncResult *r, GError **error);

/* Removes it from the model and the store, its articles too except bookmarks.
 * (The UI delays this call until the Undo toast is gone.) */
void      dtx_source_manager_remove_async  (DtxSourceManager *self, DtxSource *source, GCancellable *c, GAsyncReadyCallback cb, gpointer data);
gboolean  dtx_source_manager_remove_finish (DtxSourceManager *self, GAsyncResult *r, GError **error);

void      dtx_source_manager_rename (DtxSourceManager *self, DtxSource *source, const char *title); /* NULL/"" = site title */
void      dtx_source_manager_move   (DtxSourceManager *self, DtxSource *source, guint position);

/* Refreshes one source, or all (source NULL) concurrently: at most 2 connections per
 * host and 6 in all; conditional GET (a 304 writes nothing); sources whose retry-after
 * lies ahead are skipped; a failing source gets its "error" set and does not hold up
 * the others. Each source's page 1 is saved to the store as soon as it arrives.
 * *n_new: articles not stored before. Properties "refreshing" and "progress" (0..1).
 * A refresh asked for while one runs joins it: sources already queued are not
 * fetched twice, and the call completes when the sources it asked for are done.
 * The call itself fails only when cancelled; per-source failures are in "error". */
void      dtx_source_manager_refresh_async  (DtxSourceManager *self, DtxSource *source, GCancellable *c, GAsyncReadyCallback cb, gpointer data);
gboolean  dtx_source_manager_refresh_finish (DtxSourceManager *self, GAsyncResult *r, guint *n_new, GError **error);

/* Periodic refresh while running: minutes (0 = off); skipped while the network is
 * metered (GNetworkMonitor:network-metered). */
void      dtx_source_manager_set_refresh_interval (DtxSourceManager *self, guint minutes);
guint     dtx_source_manager_get_refresh_interval (DtxSourceManager *self);

/* The "refreshing" and "progress" properties (notify on the main thread). */
gboolean  dtx_source_manager_get_refreshing (DtxSourceManager *self);
double    dtx_source_manager_get_progress   (DtxSourceManager *self);

/* The WordPress categories of source, biggest first (count = posts the site
 * reports): a GPtrArray of DtxCategory (transfer none; empty for feeds and
 * until first fetched). Fetched after the source's first answered refresh of
 * each run of the app and again once a day, and kept in the store, so they are
 * there from the start (offline too); ::categories-changed (DtxSource *source)
 * says when they changed. Each name filters with dtx_article_list_set_category(). */
GPtrArray *dtx_source_manager_get_categories (DtxSourceManager *self, DtxSource *source);

/* The site's icon cached on disk ($XDG_CACHE_HOME/digitripx-reader/icons/),
 * fetched once from the source's "icon-url"; NULL until it is there (transfer
 * full). ::icon-changed (DtxSource *source) says when it arrived. */
GFile     *dtx_source_manager_get_icon_file (DtxSourceManager *self, DtxSource *source);

/* Unread counts of every source (each source's "unread-count"), refreshed after store
 * ::articles-changed/::article-changed; "total-unread" is their sum. */
guint     dtx_source_manager_get_total_unread (DtxSourceManager *self);

/* Signal ::new-articles (guint n_new, DtxSource *source (the only source with new
 * articles, or NULL when several), DtxArticle *newest) once per refresh run with
 * n_new > 0.
 * Signal ::page-arrived (DtxSource *source, GPtrArray *articles): a refreshed
 * page, just handed to the store to save (see dtx_article_list_show_arrived());
 * the articles are the store's to read until it has: change none of them. */

G_END_DECLS
