/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-refresh"
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "dtx-error.h"
#include "dtx-source-manager.h"
#include "dtx-source-manager-private.h"
#include "dtx-store-private.h"
#include "dtx-test-feeds.h"
#include "dtx-test-site.h"
#include "dtx-wordpress-source.h"

/* ------------------------------------------------------------------------ */
/* Fixture                                                                   */

typedef struct {
  char             *dir;
  char             *path;
  DtxFetcher       *fetcher;
  DtxStore         *store;
  DtxTestFeeds     *feeds;
  DtxSourceManager *manager;
} Fixture;

static DtxStore *
open_store (const char *path)
{
  DtxStore *store = dtx_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_open_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_open_finish (store, result, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *icons = g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "icons", NULL);

  f->dir = g_dir_make_tmp ("dtx-test-refresh-XXXXXX", &error);
  g_assert_no_error (error);
  /* Icons are cached per test, never shared between tests. */
  dtx_test_remove_tree (icons);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->fetcher = dtx_fetcher_new ();
  f->store = open_store (f->path);
  f->feeds = dtx_test_feeds_new (4);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->manager);
  dtx_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->feeds, dtx_test_feeds_free);
  /* Let what the closing queued run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  dtx_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Turns the main loop until cond holds; a deadline far above any passing
 * run only stops a broken one. */
static void
wait_until (gboolean (*cond) (gpointer),
            gpointer  data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (30, deadline_cb, &expired);
  /* Wakes the loop for conditions no event announces (the clock). */
  guint tick = g_timeout_add (20, (GSourceFunc)keep_ticking, NULL);

  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("condition not met within 30 s");
  g_source_remove (id);
  g_source_remove (tick);
}

static void
spin_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, deadline_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static void
configure (Fixture    *f,
           const char *name,
           guint       n_items,
           guint       first)
{
  dtx_test_feeds_configure (f->feeds, name, &(DtxTestFeedConfig) {
      .n_items = n_items, .first = first, .etag = TRUE, .last_modified = TRUE });
}

/* Stores a followed feed the way the manager would, before it loads. */
static char *
seed_source (Fixture    *f,
             guint       host,
             const char *name)
{
  char *url = dtx_test_feeds_url (f->feeds, host, name);
  g_autoptr(DtxStoreSource) row = dtx_store_source_new (url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  row->kind = DTX_SOURCE_KIND_FEED;
  dtx_store_add_source_async (f->store, row, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_add_source_finish (f->store, result, &error));
  g_assert_no_error (error);
  return url;
}

static DtxSourceManager *
load_manager (Fixture *f)
{
  DtxSourceManager *manager = dtx_source_manager_new (f->fetcher, f->store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_source_manager_load_async (manager, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_load_finish (manager, result, &error));
  g_assert_no_error (error);
  return manager;
}

static guint
refresh (DtxSourceManager *manager,
         DtxSource        *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint n_new = G_MAXUINT;

  dtx_source_manager_refresh_async (manager, source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_refresh_finish (manager, result, &n_new, &error));
  g_assert_no_error (error);
  g_assert_false (dtx_source_manager_get_refreshing (manager));
  return n_new;
}

static GPtrArray *
stored (DtxStore   *store,
        const char *source_url,
        guint       flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  dtx_store_list_query_async (store, &(DtxStoreQuery) { .source_url = source_url, .flags = flags,
                                                        .limit = 1000 },
                              NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  articles = dtx_store_list_query_finish (store, result, &error);
  g_assert_no_error (error);
  return articles;
}

static guint
n_stored (DtxStore   *store,
          const char *source_url)
{
  g_autoptr(GPtrArray) articles = stored (store, source_url, DTX_STORE_LIST_ALL);

  return articles->len;
}

static GPtrArray *
stored_sources (DtxStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  dtx_store_list_sources_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  rows = dtx_store_list_sources_finish (store, result, &error);
  g_assert_no_error (error);
  return rows;
}

static DtxStoreSource *
stored_source (DtxStore   *store,
               const char *url)
{
  g_autoptr(GPtrArray) rows = stored_sources (store);

  for (guint i = 0; i < rows->len; i++)
    {
      DtxStoreSource *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->url, url))
        return dtx_store_source_copy (row);
    }
  return NULL;
}

/* SQLite's count of commits by other connections since this one opened:
 * a refresh that wrote nothing leaves it as it was. */
static sqlite3 *
watch_commits (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

static gint64
data_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *count)
{
  (*count)++;
}

static void
count_articles_changed (DtxStore   *store,
                        const char *source_url,
                        guint      *count)
{
  (*count)++;
}

/* ------------------------------------------------------------------------ */
/* Sources                                                                   */

static void
test_first_start (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  DtxStoreSource *row;

  f->manager = load_manager (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->manager)) == DTX_TYPE_SOURCE);
  source = g_list_model_get_item (G_LIST_MODEL (f->manager), 0);
  /* A WordPress source (its REST root found at the first refresh). */
  g_assert_true (DTX_IS_WORDPRESS_SOURCE (source));
  g_assert_cmpstr (dtx_source_get_url (source), ==, DTX_SOURCE_DEFAULT_URL);
  g_assert_cmpstr (dtx_source_get_title (source), ==, "DigiTripX.id");
  g_assert_true (dtx_source_manager_lookup (f->manager, dtx_source_get_url (source)) == source);

  rows = stored_sources (f->store);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->url, ==, dtx_source_get_url (source));
  g_assert_cmpint (row->kind, ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpstr (row->site_title, ==, "DigiTripX.id");

  /* The next start reads it back and adds nothing. */
  g_clear_object (&f->manager);
  g_clear_object (&source);
  f->manager = load_manager (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stored_sources (f->store);
  g_assert_cmpuint (rows->len, ==, 1);

  /* A store that cannot be used still gives the default site. */
  g_clear_object (&f->manager);
  dtx_store_close (f->store);
  f->manager = load_manager (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
}

static gboolean
has_articles (gpointer data)
{
  gpointer *args = data;

  return n_stored (args[0], args[1]) > 0;
}

static void
test_add_duplicate (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = dtx_test_feeds_url (f->feeds, 1, "alpha");
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(DtxSource) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  guint items_changed = 0;

  configure (f, "alpha", 5, 100);
  f->manager = load_manager (f);
  g_signal_connect (f->manager, "items-changed", G_CALLBACK (count_items_changed), &items_changed);

  source = dtx_source_new_for_kind (f->fetcher, url, DTX_SOURCE_KIND_FEED, NULL);
  dtx_source_manager_add_async (f->manager, source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_add_finish (f->manager, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 2);
  g_assert_cmpuint (items_changed, ==, 1);
  g_assert_true (dtx_source_manager_lookup (f->manager, url) == source);

  /* Added means refreshed: its articles arrive without another call. */
  wait_until (has_articles, (gpointer[]) { f->store, url });
  g_assert_cmpuint (n_stored (f->store, url), ==, 5);

  again = dtx_source_new_for_kind (f->fetcher, url, DTX_SOURCE_KIND_FEED, NULL);
  dtx_source_manager_add_async (f->manager, again, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_false (dtx_source_manager_add_finish (f->manager, result, &error));
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EXISTS);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 2);
  g_assert_cmpuint (items_changed, ==, 1);
  rows = stored_sources (f->store);
  g_assert_cmpuint (rows->len, ==, 2);
}

static void
test_rename_move (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "alpha");
  g_autofree char *b = seed_source (f, 1, "beta");
  g_autofree char *c = seed_source (f, 2, "gamma");
  DtxSource *source;

  f->manager = load_manager (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 3);

  source = dtx_source_manager_lookup (f->manager, b);
  dtx_source_manager_rename (f->manager, source, "  Blog Saya ");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Blog Saya");
  dtx_source_manager_move (f->manager, dtx_source_manager_lookup (f->manager, c), 0);

  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  {
    g_autoptr(DtxSource) first = g_list_model_get_item (G_LIST_MODEL (f->manager), 0);
    g_autoptr(DtxSource) second = g_list_model_get_item (G_LIST_MODEL (f->manager), 1);
    g_autoptr(DtxSource) third = g_list_model_get_item (G_LIST_MODEL (f->manager), 2);

    g_assert_cmpstr (dtx_source_get_url (first), ==, c);
    g_assert_cmpstr (dtx_source_get_url (second), ==, a);
    g_assert_cmpstr (dtx_source_get_url (third), ==, b);
    g_assert_cmpstr (dtx_source_get_custom_title (third), ==, "Blog Saya");
    g_assert_cmpstr (dtx_source_get_title (third), ==, "Blog Saya");

    /* Back to the site's own name. */
    dtx_source_manager_rename (f->manager, third, "");
    g_assert_null (dtx_source_get_custom_title (third));
  }
  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  g_assert_null (dtx_source_get_custom_title (dtx_source_manager_lookup (f->manager, b)));
}

static void
test_remove_keeps_bookmarks (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "alpha");
  g_autofree char *b = seed_source (f, 2, "beta");
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxStoreSource) gone = NULL;
  g_autofree char *kept_link = NULL;
  DtxArticle *kept;

  configure (f, "alpha", 4, 40);
  configure (f, "beta", 3, 30);
  f->manager = load_manager (f);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 7);

  articles = stored (f->store, a, DTX_STORE_LIST_ALL);
  g_assert_cmpuint (articles->len, ==, 4);
  kept = g_ptr_array_index (articles, 2);
  kept_link = g_strdup (dtx_article_get_link (kept));
  dtx_store_set_bookmarked_async (f->store, a, kept, TRUE, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_set_bookmarked_finish (f->store, result, &error));
  g_clear_object (&result);

  dtx_source_manager_remove_async (f->manager, dtx_source_manager_lookup (f->manager, a), NULL,
                                   dtx_test_store_result, &result);
  /* Gone from the model at once. */
  g_assert_null (dtx_source_manager_lookup (f->manager, a));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->manager)), ==, 1);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_remove_finish (f->manager, result, &error));
  g_assert_no_error (error);

  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = stored (f->store, a, DTX_STORE_LIST_ALL);
  g_assert_cmpuint (articles->len, ==, 1);
  g_assert_cmpstr (dtx_article_get_link (g_ptr_array_index (articles, 0)), ==, kept_link);
  g_assert_true (dtx_article_get_bookmarked (g_ptr_array_index (articles, 0)));
  g_assert_cmpuint (n_stored (f->store, b), ==, 3);
  gone = stored_source (f->store, a);
  g_assert_null (gone);

  /* And after a restart. */
  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  g_assert_null (dtx_source_manager_lookup (f->manager, a));
  g_assert_nonnull (dtx_source_manager_lookup (f->manager, b));
}

/* ------------------------------------------------------------------------ */
/* Refresh                                                                   */

static void
test_conditional_get (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "etag");
  g_autofree char *b = seed_source (f, 2, "modified");
  g_autoptr(DtxStoreSource) row = NULL;
  sqlite3 *db;
  gint64 version;
  guint changes = 0;

  dtx_test_feeds_configure (f->feeds, "etag", &(DtxTestFeedConfig) { .n_items = 20, .first = 500, .etag = TRUE });
  dtx_test_feeds_configure (f->feeds, "modified", &(DtxTestFeedConfig) { .n_items = 10, .first = 900, .last_modified = TRUE });
  f->manager = load_manager (f);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 30);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "etag", SOUP_STATUS_OK), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "modified", SOUP_STATUS_OK), ==, 1);
  g_assert_cmpuint (n_stored (f->store, a), ==, 20);
  g_assert_cmpuint (n_stored (f->store, b), ==, 10);

  /* The validators are kept with the source. */
  row = stored_source (f->store, a);
  g_assert_cmpstr (row->etag, ==, "\"etag-v1\"");
  g_assert_cmpint (row->last_refresh, >, 0);
  g_clear_pointer (&row, dtx_store_source_free);
  row = stored_source (f->store, b);
  g_assert_nonnull (row->last_modified);
  g_clear_pointer (&row, dtx_store_source_free);

  /* Second refresh: two 304s, nothing parsed, nothing written. The store
   * first finishes what it does when idle (indexing the new rows). */
  spin_for (200);
  {
    g_autoptr(GAsyncResult) result = NULL;

    dtx_store_finish_background_for_testing_async (f->store, dtx_test_store_result, &result);
    dtx_test_wait_result (&result);
    g_assert_true (dtx_store_finish_background_for_testing_finish (f->store, result, NULL));
  }
  db = watch_commits (f->path);
  version = data_version (db);
  g_signal_connect (f->store, "articles-changed", G_CALLBACK (count_articles_changed), &changes);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "etag", SOUP_STATUS_NOT_MODIFIED), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "modified", SOUP_STATUS_NOT_MODIFIED), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "etag", SOUP_STATUS_OK), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "modified", SOUP_STATUS_OK), ==, 1);
  spin_for (200);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpint (data_version (db), ==, version);
  g_assert_null (dtx_source_get_error (dtx_source_manager_lookup (f->manager, a)));

  /* A restart asks conditionally too: the validators came from the store. */
  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "etag", SOUP_STATUS_NOT_MODIFIED), ==, 2);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "modified", SOUP_STATUS_NOT_MODIFIED), ==, 2);
  g_assert_cmpint (data_version (db), ==, version);
  g_assert_cmpuint (changes, ==, 0);

  /* A changed feed is read again. */
  dtx_test_feeds_configure (f->feeds, "etag", &(DtxTestFeedConfig) { .n_items = 20, .first = 502, .etag = TRUE });
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 2);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "etag", SOUP_STATUS_OK), ==, 2);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpint (data_version (db), !=, version);
  row = stored_source (f->store, a);
  g_assert_cmpstr (row->etag, ==, "\"etag-v2\"");

  g_signal_handlers_disconnect_by_data (f->store, &changes);
  sqlite3_close (db);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);

  /* 4 hosts × 6 feeds, each answer taking a while, so requests overlap. */
  for (guint host = 1; host <= 4; host++)
    for (guint i = 0; i < 6; i++)
      {
        g_autofree char *name = g_strdup_printf ("h%u-%u", host, i);

        dtx_test_feeds_configure (f->feeds, name, &(DtxTestFeedConfig) {
            .n_items = 3, .first = 10 * host + i + 100, .delay_ms = 60 });
        g_ptr_array_add (urls, seed_source (f, host, name));
      }
  f->manager = load_manager (f);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 24 * 3);
  for (guint i = 0; i < urls->len; i++)
    g_assert_cmpuint (n_stored (f->store, g_ptr_array_index (urls, i)), ==, 3);
  g_test_message ("most in flight: %u in all, %u per host",
                  dtx_test_feeds_max_in_flight (f->feeds),
                  dtx_test_feeds_max_in_flight_per_host (f->feeds));
  g_assert_cmpuint (dtx_test_feeds_max_in_flight_per_host (f->feeds), <=, 2);
  g_assert_cmpuint (dtx_test_feeds_max_in_flight (f->feeds), <=, 6);
  /* Concurrent, not one after the other: several hosts at once, each to
   * its limit. (6 in all is what a run here shows; fewer when the store is
   * slow to save, as new pages then wait for it.) */
  g_assert_cmpuint (dtx_test_feeds_max_in_flight_per_host (f->feeds), ==, 2);
  g_assert_cmpuint (dtx_test_feeds_max_in_flight (f->feeds), >=, 4);

  /* Refreshes asked for while one runs join it: still within the limits. */
  dtx_test_feeds_reset_stats (f->feeds);
  {
    g_autoptr(GAsyncResult) r1 = NULL;
    g_autoptr(GAsyncResult) r2 = NULL;
    DtxSource *one = dtx_source_manager_lookup (f->manager, g_ptr_array_index (urls, 5));

    dtx_source_manager_refresh_async (f->manager, NULL, NULL, dtx_test_store_result, &r1);
    dtx_source_manager_refresh_async (f->manager, one, NULL, dtx_test_store_result, &r2);
    dtx_test_wait_result (&r1);
    dtx_test_wait_result (&r2);
    g_assert_true (dtx_source_manager_refresh_finish (f->manager, r2, NULL, NULL));
    g_assert_true (dtx_source_manager_refresh_finish (f->manager, r1, NULL, NULL));
  }
  g_assert_cmpuint (dtx_test_feeds_count_path (f->feeds, "/feed/h1-5"), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_max_in_flight_per_host (f->feeds), <=, 2);
  g_assert_cmpuint (dtx_test_feeds_max_in_flight (f->feeds), <=, 6);
}

typedef struct {
  DtxStore   *store;
  GHashTable *seen;   /* source URLs with ::articles-changed */
  GPtrArray  *fast;
} SlowWatch;

static void
on_changed (DtxStore   *store,
            const char *source_url,
            SlowWatch  *w)
{
  if (source_url != NULL)
    g_hash_table_add (w->seen, g_strdup (source_url));
}

static gboolean
all_fast_stored (gpointer data)
{
  SlowWatch *w = data;

  for (guint i = 0; i < w->fast->len; i++)
    if (!g_hash_table_contains (w->seen, g_ptr_array_index (w->fast, i)))
      return FALSE;
  return TRUE;
}

static void
test_slow_source (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *slow = seed_source (f, 1, "slow");
  g_autoptr(GPtrArray) fast = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SlowWatch w = { f->store, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), fast };
  DtxSource *slow_source;
  guint n_new = 0;

  /* The slow one answers only when the test says so. */
  dtx_test_feeds_configure (f->feeds, "slow", &(DtxTestFeedConfig) { .n_items = 5, .first = 50, .hold = TRUE });
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("fast%u", i);

      dtx_test_feeds_configure (f->feeds, name, &(DtxTestFeedConfig) { .n_items = 4, .first = 10 + i });
      g_ptr_array_add (fast, seed_source (f, 1 + i % 4, name));
    }
  f->manager = load_manager (f);
  slow_source = dtx_source_manager_lookup (f->manager, slow);
  g_signal_connect (f->store, "articles-changed", G_CALLBACK (on_changed), &w);

  dtx_source_manager_refresh_async (f->manager, NULL, NULL, dtx_test_store_result, &result);
  g_assert_true (dtx_source_manager_get_refreshing (f->manager));
  wait_until (all_fast_stored, &w);

  /* Every fast source is in the store; the slow one still holds its answer. */
  g_assert_null (result);
  g_assert_cmpuint (dtx_test_feeds_n_held (f->feeds), ==, 1);
  g_assert_true (dtx_source_get_refreshing (slow_source));
  g_assert_true (dtx_source_manager_get_refreshing (f->manager));
  g_assert_cmpfloat (dtx_source_manager_get_progress (f->manager), >=, 7.0 / 8.0 - 1e-9);
  g_assert_cmpfloat (dtx_source_manager_get_progress (f->manager), <, 1.0);
  for (guint i = 0; i < fast->len; i++)
    g_assert_cmpuint (n_stored (f->store, g_ptr_array_index (fast, i)), ==, 4);
  g_assert_cmpuint (n_stored (f->store, slow), ==, 0);

  dtx_test_feeds_release (f->feeds, "slow");
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_refresh_finish (f->manager, result, &n_new, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_new, ==, 7 * 4 + 5);
  g_assert_cmpuint (n_stored (f->store, slow), ==, 5);
  g_assert_false (dtx_source_get_refreshing (slow_source));
  g_assert_false (dtx_source_manager_get_refreshing (f->manager));

  g_signal_handlers_disconnect_by_data (f->store, &w);
  g_hash_table_unref (w.seen);
}

static void
test_retry_after_429 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *busy = seed_source (f, 1, "busy");
  g_autofree char *fine = seed_source (f, 2, "fine");
  g_autoptr(DtxStoreSource) row = NULL;
  DtxSource *source;
  gint64 before = g_get_real_time ();

  dtx_test_feeds_configure (f->feeds, "busy", &(DtxTestFeedConfig) {
      .n_items = 3, .first = 3, .status = 429, .retry_after = "3600" });
  configure (f, "fine", 2, 2);
  f->manager = load_manager (f);
  source = dtx_source_manager_lookup (f->manager, busy);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 2);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "busy", 429), ==, 1);
  g_assert_nonnull (dtx_source_get_error (source));
  g_assert_cmpint (dtx_source_get_retry_after (source), >=, before + (gint64)3500 * G_USEC_PER_SEC);
  g_assert_cmpint (dtx_source_get_retry_after (source), <=, g_get_real_time () + (gint64)3601 * G_USEC_PER_SEC);

  /* Not asked again before its time, alone or with the others. */
  g_assert_cmpuint (refresh (f->manager, source), ==, 0);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "busy", 0), ==, 1);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "fine", 0), ==, 2);

  /* Kept across a restart. */
  row = stored_source (f->store, busy);
  g_assert_cmpint (row->retry_after, ==, dtx_source_get_retry_after (source));
  g_assert_nonnull (row->last_error);
  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  source = dtx_source_manager_lookup (f->manager, busy);
  g_assert_cmpint (dtx_source_get_retry_after (source), ==, row->retry_after);
  g_assert_nonnull (dtx_source_get_error (source));
  refresh (f->manager, NULL);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "busy", 0), ==, 1);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_real_time () > *(gint64 *)data;
}

static void
test_retry_after_503 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = seed_source (f, 1, "down");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 2);
  g_autofree char *http_date = g_date_time_format (soon, "%a, %d %b %Y %H:%M:%S GMT");
  DtxSource *source;
  gint64 retry_after;

  /* An HTTP date two seconds ahead. */
  dtx_test_feeds_configure (f->feeds, "down", &(DtxTestFeedConfig) {
      .n_items = 3, .first = 3, .status = 503, .retry_after = http_date });
  f->manager = load_manager (f);
  source = dtx_source_manager_lookup (f->manager, url);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "down", 503), ==, 1);
  g_assert_nonnull (dtx_source_get_error (source));
  retry_after = dtx_source_get_retry_after (source);
  g_assert_cmpint (retry_after, >, g_get_real_time ());

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "down", 0), ==, 1);

  /* Once the time has come, it is asked again, and recovers. */
  configure (f, "down", 3, 3);
  wait_until (time_passed, &retry_after);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 3);
  g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "down", SOUP_STATUS_OK), ==, 1);
  g_assert_null (dtx_source_get_error (source));
}

static void
test_failing_source (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *broken = seed_source (f, 1, "broken");
  g_autofree char *b = seed_source (f, 1, "beta");
  g_autofree char *c = seed_source (f, 2, "gamma");
  g_autofree char *missing = NULL;
  g_autoptr(DtxStoreSource) row = NULL;
  DtxSource *source;

  dtx_test_feeds_configure (f->feeds, "broken", &(DtxTestFeedConfig) { .status = 500 });
  configure (f, "beta", 4, 40);
  configure (f, "gamma", 6, 60);
  /* And one whose server is not there at all. */
  missing = g_strdup_printf ("http://127.0.0.1:1/feed/nothing");
  {
    g_autoptr(DtxStoreSource) gone = dtx_store_source_new (missing);
    g_autoptr(GAsyncResult) result = NULL;

    gone->kind = DTX_SOURCE_KIND_FEED;
    dtx_store_add_source_async (f->store, gone, NULL, dtx_test_store_result, &result);
    dtx_test_wait_result (&result);
    g_assert_true (dtx_store_add_source_finish (f->store, result, NULL));
  }
  f->manager = load_manager (f);
  source = dtx_source_manager_lookup (f->manager, broken);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 10);
  g_assert_nonnull (dtx_source_get_error (source));
  /* A sentence for people, no status code. */
  g_assert_null (strstr (dtx_source_get_error (source), "500"));
  /* Its kind, for the status page's title and picture. */
  g_assert_cmpint (dtx_source_get_error_code (source), ==, DTX_ERROR_HTTP);
  g_assert_nonnull (dtx_source_get_error (dtx_source_manager_lookup (f->manager, missing)));
  g_assert_null (dtx_source_get_error (dtx_source_manager_lookup (f->manager, b)));
  g_assert_null (dtx_source_get_error (dtx_source_manager_lookup (f->manager, c)));
  g_assert_cmpuint (n_stored (f->store, b), ==, 4);
  g_assert_cmpuint (n_stored (f->store, c), ==, 6);
  row = stored_source (f->store, broken);
  g_assert_cmpstr (row->last_error, ==, dtx_source_get_error (source));
  g_clear_pointer (&row, dtx_store_source_free);

  /* Fixed: the warning goes, in the store too. */
  configure (f, "broken", 2, 2);
  g_assert_cmpuint (refresh (f->manager, source), ==, 2);
  g_assert_null (dtx_source_get_error (source));
  g_assert_cmpint (dtx_source_get_error_code (source), ==, -1);
  row = stored_source (f->store, broken);
  g_assert_null (row->last_error);
}

typedef struct {
  guint      emissions;
  guint      n_new;
  DtxSource *source;
  char      *newest;
} NewArticles;

static void
on_new_articles (DtxSourceManager *manager,
                 guint             n_new,
                 DtxSource        *source,
                 DtxArticle       *newest,
                 NewArticles      *n)
{
  n->emissions++;
  n->n_new = n_new;
  n->source = source;
  g_free (n->newest);
  n->newest = g_strdup (newest != NULL ? dtx_article_get_title (newest) : NULL);
}

static void
test_new_articles (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "alpha");
  g_autofree char *b = seed_source (f, 2, "beta");
  NewArticles n = { 0 };

  configure (f, "alpha", 3, 30);
  configure (f, "beta", 4, 20);
  f->manager = load_manager (f);
  g_signal_connect (f->manager, "new-articles", G_CALLBACK (on_new_articles), &n);

  g_assert_cmpuint (refresh (f->manager, NULL), ==, 7);
  g_assert_cmpuint (n.emissions, ==, 1);
  g_assert_cmpuint (n.n_new, ==, 7);
  g_assert_null (n.source);
  g_assert_cmpstr (n.newest, ==, "alpha item 30");

  /* One new article on one source. */
  configure (f, "beta", 5, 21);
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 1);
  g_assert_cmpuint (n.emissions, ==, 2);
  g_assert_cmpuint (n.n_new, ==, 1);
  g_assert_true (n.source == dtx_source_manager_lookup (f->manager, b));
  g_assert_cmpstr (n.newest, ==, "beta item 21");

  /* Nothing new: no signal. */
  g_assert_cmpuint (refresh (f->manager, NULL), ==, 0);
  g_assert_cmpuint (n.emissions, ==, 2);
  g_free (n.newest);
}

static gboolean
unread_is (gpointer data)
{
  gpointer *args = data;

  return dtx_source_get_unread_count (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
test_unread_and_icon (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "alpha");
  g_autofree char *b = seed_source (f, 1, "beta");
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) icon = NULL;
  g_autofree char *contents = NULL;
  DtxSource *source;
  gsize length = 0;

  configure (f, "alpha", 5, 50);
  configure (f, "beta", 2, 20);
  f->manager = load_manager (f);
  source = dtx_source_manager_lookup (f->manager, a);
  refresh (f->manager, NULL);
  wait_until (unread_is, (gpointer[]) { source, GUINT_TO_POINTER (5) });
  g_assert_cmpuint (dtx_source_get_unread_count (dtx_source_manager_lookup (f->manager, b)), ==, 2);
  g_assert_cmpuint (dtx_source_manager_get_total_unread (f->manager), ==, 7);

  articles = stored (f->store, a, DTX_STORE_LIST_ALL);
  dtx_store_set_read_async (f->store, a, g_ptr_array_index (articles, 0), TRUE, NULL,
                            dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_set_read_finish (f->store, result, NULL));
  wait_until (unread_is, (gpointer[]) { source, GUINT_TO_POINTER (4) });
  g_assert_cmpuint (dtx_source_manager_get_total_unread (f->manager), ==, 6);

  /* The site's icon, fetched once for the host and cached on disk. */
  while (dtx_test_feeds_count_path (f->feeds, "/favicon.ico") == 0 ||
         (icon = dtx_source_manager_get_icon_file (f->manager, source)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_file_load_contents (icon, NULL, &contents, &length, NULL, NULL));
  g_assert_cmpuint (length, ==, 70);
  g_assert_true (g_str_has_prefix (g_file_peek_path (icon), g_get_user_cache_dir ()));
  refresh (f->manager, NULL);
  spin_for (100);
  g_assert_cmpuint (dtx_test_feeds_count_path (f->feeds, "/favicon.ico"), ==, 1);
}

/* A network monitor whose "network-metered" the test sets. */
typedef struct {
  GObject  parent_instance;
  gboolean metered;
} TestMonitor;

typedef GObjectClass TestMonitorClass;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestMonitor, g_object_unref)

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static GType test_monitor_get_type (void);
static gboolean
test_monitor_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init;
}

G_DEFINE_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, test_monitor_initable_iface_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, test_monitor_iface_init))

enum { TM_PROP_0, TM_PROP_AVAILABLE, TM_PROP_METERED, TM_PROP_CONNECTIVITY };

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = (TestMonitor *)object;

  switch (prop_id)
    {
    case TM_PROP_AVAILABLE: g_value_set_boolean (value, TRUE); break;
    case TM_PROP_METERED: g_value_set_boolean (value, self->metered); break;
    case TM_PROP_CONNECTIVITY: g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  klass->get_property = test_monitor_get_property;
  g_object_class_override_property (klass, TM_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (klass, TM_PROP_METERED, "network-metered");
  g_object_class_override_property (klass, TM_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
test_monitor_init (TestMonitor *self)
{
}

static gboolean
requests_reach (gpointer data)
{
  gpointer *args = data;

  return dtx_test_feeds_count (args[0], "alpha", 0) >= GPOINTER_TO_UINT (args[1]);
}

static void
test_interval (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *url = seed_source (f, 1, "alpha");
  g_autoptr(TestMonitor) monitor = g_object_new (test_monitor_get_type (), NULL);

  configure (f, "alpha", 2, 2);
  f->manager = load_manager (f);
  g_assert_cmpuint (dtx_source_manager_get_refresh_interval (f->manager), ==, 0);
  dtx_source_manager_set_refresh_interval (f->manager, 30);
  g_assert_cmpuint (dtx_source_manager_get_refresh_interval (f->manager), ==, 30);
  dtx_source_manager_set_refresh_interval (f->manager, 0);
  g_assert_cmpuint (dtx_source_manager_get_refresh_interval (f->manager), ==, 0);

  /* Every second (for the test): it refreshes on its own... */
  dtx_source_manager_set_network_monitor_for_testing (f->manager, G_NETWORK_MONITOR (monitor));
  dtx_source_manager_set_refresh_seconds_for_testing (f->manager, 1);
  wait_until (requests_reach, (gpointer[]) { f->feeds, GUINT_TO_POINTER (2) });
  g_assert_cmpuint (n_stored (f->store, url), ==, 2);

  /* ...but not while the network is metered. */
  monitor->metered = TRUE;
  spin_for (1200);
  {
    guint asked = dtx_test_feeds_count (f->feeds, "alpha", 0);

    spin_for (2500);
    g_assert_cmpuint (dtx_test_feeds_count (f->feeds, "alpha", 0), ==, asked);
  }
  monitor->metered = FALSE;
  {
    guint asked = dtx_test_feeds_count (f->feeds, "alpha", 0);

    wait_until (requests_reach, (gpointer[]) { f->feeds, GUINT_TO_POINTER (asked + 1) });
  }
  dtx_source_manager_set_refresh_seconds_for_testing (f->manager, 0);
}


static void
on_categories_changed (DtxSourceManager *manager,
                       DtxSource        *source,
                       guint            *count)
{
  (*count)++;
}

static guint
n_in_category (DtxStore   *store,
               const char *source_url,
               const char *category)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) articles = NULL;

  dtx_store_list_query_async (store, &(DtxStoreQuery) { .source_url = source_url, .category = category,
                                                        .limit = 100 },
                              NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  articles = dtx_store_list_query_finish (store, result, NULL);
  g_assert_nonnull (articles);
  return articles->len;
}

static gboolean
count_is_positive (gpointer data)
{
  return *(guint *)data > 0;
}

/* A WordPress site: probed once, its categories listed with counts, and
 * each category a filter over the stored articles that carry its name. */
static void
test_wordpress_categories (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxStoreSource) row = NULL;
  GPtrArray *categories;
  DtxCategory *first = NULL, *gadget = NULL;
  guint changed = 0, n_categories;

  f->manager = load_manager (f);
  g_signal_connect (f->manager, "categories-changed", G_CALLBACK (on_categories_changed), &changed);
  source = dtx_source_new_for_kind (f->fetcher, dtx_test_site_get_url (site), DTX_SOURCE_KIND_WORDPRESS, NULL);
  g_assert_cmpuint (dtx_source_manager_get_categories (f->manager, source)->len, ==, 0);
  dtx_source_manager_add_async (f->manager, source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_source_manager_add_finish (f->manager, result, &error));
  g_assert_no_error (error);

  /* Added, refreshed, then its categories asked for. */
  wait_until (count_is_positive, &changed);
  categories = dtx_source_manager_get_categories (f->manager, source);
  g_assert_cmpuint (categories->len, >=, 3);
  for (guint i = 0; i < categories->len; i++)
    {
      DtxCategory *category = g_ptr_array_index (categories, i);

      if (first == NULL)
        first = category;
      if (g_str_has_prefix (category->name, "Gadget"))
        gadget = category;
    }
  g_assert_cmpstr (first->name, ==, "Aplikasi");
  g_assert_cmpuint (first->count, ==, 12);

  /* The names the site lists are the names its posts carry. */
  g_assert_cmpuint (n_in_category (f->store, dtx_source_get_url (source), first->name), ==, 4);
  g_assert_nonnull (gadget);
  g_assert_cmpuint (n_in_category (f->store, dtx_source_get_url (source), gadget->name), ==, 1);
  g_assert_cmpuint (n_in_category (f->store, NULL, "Tak Berkategori"), ==, 0);

  /* Kept as found: WordPress, its REST root, the site's name and icon. */
  row = stored_source (f->store, dtx_source_get_url (source));
  g_assert_nonnull (row);
  g_assert_cmpint (row->kind, ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_nonnull (row->api_root);
  g_assert_cmpstr (row->site_title, ==, "Contoh Tekno");
  g_assert_nonnull (row->icon_url);
  g_assert_true (g_str_has_suffix (row->icon_url, "cropped-ikon-32x32.png"));

  /* A restart does not probe again: it asks the REST root it kept. */
  n_categories = categories->len;
  g_clear_object (&f->manager);
  f->manager = load_manager (f);
  {
    DtxSource *again = dtx_source_manager_lookup (f->manager, dtx_source_get_url (source));
    guint probes = dtx_test_site_count_requests (site, "/");

    GPtrArray *kept;

    g_assert_cmpint (dtx_source_get_kind (again), ==, DTX_SOURCE_KIND_WORDPRESS);
    g_assert_cmpstr (dtx_source_get_api_root (again), ==, row->api_root);
    /* The categories too, before any request: the sidebar lists them offline. */
    kept = dtx_source_manager_get_categories (f->manager, again);
    g_assert_cmpuint (kept->len, ==, n_categories);
    g_assert_cmpstr (((DtxCategory *)g_ptr_array_index (kept, 0))->name, ==, "Aplikasi");
    g_assert_cmpuint (((DtxCategory *)g_ptr_array_index (kept, 0))->count, ==, 12);
    refresh (f->manager, again);
    g_assert_cmpuint (dtx_test_site_count_requests (site, "/"), ==, probes);
  }
}

/* What a server sends as its icon is cached only when it is an image of a
 * sane size: a page, or megabytes, leave no file (and the refresh is fine). */
static void
test_icon_hostile (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *a = seed_source (f, 1, "alpha");
  g_autofree char *b = seed_source (f, 2, "beta");
  g_autoptr(GBytes) page = g_bytes_new_static ("<html><body>Not found</body></html>", 35);
  g_autofree char *huge_data = g_malloc0 (4 * 1024 * 1024);
  g_autoptr(GBytes) huge = g_bytes_new_take (g_steal_pointer (&huge_data), 4 * 1024 * 1024);
  g_autoptr(GFile) icon = NULL;

  configure (f, "alpha", 2, 2);
  configure (f, "beta", 2, 2);
  f->manager = load_manager (f);

  dtx_test_feeds_set_favicon (f->feeds, "text/html", page);
  g_assert_cmpuint (refresh (f->manager, dtx_source_manager_lookup (f->manager, a)), ==, 2);
  while (dtx_test_feeds_count_path (f->feeds, "/favicon.ico") < 1)
    g_main_context_iteration (NULL, TRUE);
  spin_for (200);
  icon = dtx_source_manager_get_icon_file (f->manager, dtx_source_manager_lookup (f->manager, a));
  g_assert_null (icon);

  dtx_test_feeds_set_favicon (f->feeds, "image/png", huge);
  g_assert_cmpuint (refresh (f->manager, dtx_source_manager_lookup (f->manager, b)), ==, 2);
  while (dtx_test_feeds_count_path (f->feeds, "/favicon.ico") < 2)
    g_main_context_iteration (NULL, TRUE);
  spin_for (200);
  icon = dtx_source_manager_get_icon_file (f->manager, dtx_source_manager_lookup (f->manager, b));
  g_assert_null (icon);
  g_assert_null (dtx_source_get_error (dtx_source_manager_lookup (f->manager, b)));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("dtx-test-refresh-cache-XXXXXX", NULL);
  int rc;

  /* GLib reads it once: set before anything asks. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/refresh/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-start", test_first_start);
  ADD ("add-duplicate", test_add_duplicate);
  ADD ("rename-move", test_rename_move);
  ADD ("remove-keeps-bookmarks", test_remove_keeps_bookmarks);
  ADD ("conditional-get", test_conditional_get);
  ADD ("limits", test_limits);
  ADD ("slow-source", test_slow_source);
  ADD ("retry-after-429", test_retry_after_429);
  ADD ("retry-after-503", test_retry_after_503);
  ADD ("failing-source", test_failing_source);
  ADD ("new-articles", test_new_articles);
  ADD ("unread-and-icon", test_unread_and_icon);
  ADD ("icon-hostile", test_icon_hostile);
  ADD ("periodic-not-metered", test_interval);
  ADD ("wordpress-categories", test_wordpress_categories);

  rc = g_test_run ();
  dtx_test_remove_tree (cache);
  return rc;
}
