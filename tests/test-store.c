/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-store"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtx-article-list.h"
#include "dtx-store.h"
#include "dtx-article-list-private.h"
#include "dtx-store-private.h"
#include "dtx-test-site.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("dtx-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: the store makes it. */
  f->path = g_build_filename (f->dir, "digitripx-reader", "store.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dtx_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static DtxStore *
open_store (const char  *path,
            char       **moved_to,
            guint       *n_recovered,
            GError     **error)
{
  DtxStore *store = dtx_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;

  dtx_store_open_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  dtx_store_open_finish (store, result, moved_to, n_recovered, error);
  return store;
}

static DtxStore *
open_ok (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  DtxStore *store = open_store (path, &moved_to, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (moved_to);
  return store;
}

static DtxArticle *
new_article (gint64      id,
             const char *link,
             const char *title,
             const char *excerpt,
             const char *content,
             gint64      date_unix)
{
  DtxArticle *article = dtx_article_new ();
  g_autoptr(GDateTime) date = date_unix != 0 ? g_date_time_new_from_unix_utc (date_unix) : NULL;
  const char * const categories[] = { "Teknologi", "Gadget & Gawai", NULL };
  g_autofree char *image = link != NULL ? g_strconcat (link, "cover.jpg", NULL) : NULL;

  dtx_article_set_id (article, id);
  dtx_article_set_link (article, link);
  dtx_article_set_title (article, title);
  dtx_article_set_excerpt (article, excerpt);
  dtx_article_set_content (article, content);
  dtx_article_set_author (article, "Redaksi");
  dtx_article_set_date (article, date);
  dtx_article_set_image_url (article, image);
  dtx_article_set_categories (article, categories);
  dtx_article_set_source_name (article, "DigiTripX");
  return article;
}

/* An article n of a source with a link of its own. */
static DtxArticle *
numbered_article (guint       n,
                  const char *title,
                  const char *content)
{
  g_autofree char *link = g_strdup_printf ("https://digitripx.id/artikel-%u/", n);
  g_autofree char *fallback_title = g_strdup_printf ("Artikel nomor %u", n);

  return new_article (1000 + n, link, title ? title : fallback_title,
                      "Ringkasan singkat.", content ? content : "<p>Isi artikel.</p>",
                      1700000000 + n * 60);
}

static guint
save (DtxStore   *store,
      const char *source_url,
      GPtrArray  *articles,
      GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint n_new = 0;

  dtx_store_save_articles_async (store, source_url, articles, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  dtx_store_save_articles_finish (store, result, &n_new, error);
  return n_new;
}

static guint
save_ok (DtxStore   *store,
         const char *source_url,
         GPtrArray  *articles)
{
  g_autoptr(GError) error = NULL;
  guint n_new = save (store, source_url, articles, &error);

  g_assert_no_error (error);
  return n_new;
}

static GPtrArray *
list (DtxStore           *store,
      const char         *source_url,
      DtxStoreListFlags   flags,
      const char         *search,
      guint               offset,
      guint               limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  dtx_store_list_async (store, source_url, flags, search, offset, limit, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  articles = dtx_store_list_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (articles);
  return articles;
}

static gboolean
set_bookmarked (DtxStore    *store,
                const char  *source_url,
                DtxArticle  *article,
                gboolean     bookmarked,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_store_set_bookmarked_async (store, source_url, article, bookmarked, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_store_set_bookmarked_finish (store, result, error);
}

static void
set_read (DtxStore   *store,
          const char *source_url,
          DtxArticle *article,
          gboolean    read)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_set_read_async (store, source_url, article, read, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_set_read_finish (store, result, &error));
  g_assert_no_error (error);
}

static DtxArticle *
find_url (DtxStore   *store,
          const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DtxArticle *article;

  dtx_store_find_url_async (store, url, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  article = dtx_store_find_url_finish (store, result, &error);
  g_assert_no_error (error);
  return article;
}

static gboolean
exec_in_store (DtxStore    *store,
               const char  *sql,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_store_exec_for_testing_async (store, sql, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_store_exec_for_testing_finish (store, result, error);
}

static gboolean
export_bookmarks (DtxStore    *store,
                  const char  *path,
                  guint       *n_written,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  dtx_store_export_bookmarks_async (store, file, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_store_export_bookmarks_finish (store, result, n_written, error);
}

static gboolean
import_bookmarks (DtxStore    *store,
                  const char  *path,
                  guint       *n_added,
                  guint       *n_skipped,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  dtx_store_import_bookmarks_async (store, file, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_store_import_bookmarks_finish (store, result, n_added, n_skipped, error);
}

static gboolean
trim (DtxStore   *store,
      guint       keep_days,
      guint      *n_deleted,
      char     ***keep_images)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  dtx_store_trim_async (store, keep_days, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  ok = dtx_store_trim_finish (store, result, n_deleted, keep_images, &error);
  g_assert_no_error (error);
  return ok;
}

/* A second, plain SQLite connection: what another program sees on disk. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = raw_open (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
raw_text (const char *path,
          const char *sql)
{
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
assert_integrity (const char *path)
{
  g_autofree char *check = raw_text (path, "PRAGMA integrity_check");

  g_assert_cmpstr (check, ==, "ok");
}

static GPtrArray *
articles_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
titles_are (GPtrArray   *articles,
            const char **titles)
{
  guint n = g_strv_length ((char **)titles);

  if (articles->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (dtx_article_get_title (g_ptr_array_index (articles, i)), titles[i]) != 0)
      return FALSE;
  return TRUE;
}

typedef struct {
  guint  article_changed;
  gint64 last_id;
  gboolean last_bookmarked;
  gboolean last_read;
  guint  articles_changed;
  char  *last_source;
  gboolean wrong_thread;
} Signals;

static void
on_article_changed (DtxStore *store,
                    gint64    id,
                    gboolean  bookmarked,
                    gboolean  read,
                    Signals  *s)
{
  s->article_changed++;
  s->last_id = id;
  s->last_bookmarked = bookmarked;
  s->last_read = read;
  if (!g_main_context_is_owner (g_main_context_default ()))
    s->wrong_thread = TRUE;
}

static void
on_articles_changed (DtxStore   *store,
                     const char *source_url,
                     Signals    *s)
{
  s->articles_changed++;
  g_free (s->last_source);
  s->last_source = g_strdup (source_url);
  if (!g_main_context_is_owner (g_main_context_default ()))
    s->wrong_thread = TRUE;
}

static void
watch (DtxStore *store,
       Signals  *s)
{
  g_signal_connect (store, "article-changed", G_CALLBACK (on_article_changed), s);
  g_signal_connect (store, "articles-changed", G_CALLBACK (on_articles_changed), s);
}

/* ------------------------------------------------------------------------ */
/* Schema                                                                    */

static void
test_migrate_empty (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autofree char *mode = NULL;

  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (dtx_store_is_read_only (store));
  g_assert_true (dtx_store_has_fts_for_testing (store));
  g_assert_cmpstr (dtx_store_get_path (store), ==, f->path);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 3);
  mode = raw_text (f->path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'"), ==, 1);

  /* Opening again migrates nothing and keeps what is there. */
  {
    g_autoptr(GPtrArray) articles = articles_new ();

    g_ptr_array_add (articles, numbered_article (1, NULL, NULL));
    g_assert_cmpuint (save_ok (store, "https://digitripx.id", articles), ==, 1);
  }
  g_clear_object (&store);
  store = open_ok (f->path);
  {
    g_autoptr(GPtrArray) listed = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 10);

    g_assert_cmpuint (listed->len, ==, 1);
  }
}

/* The v1 schema as that version wrote it: articles, no search index. */
static const char schema_v1[] =
  "CREATE TABLE articles ("
  "  id INTEGER PRIMARY KEY, source_url TEXT NOT NULL, remote_key TEXT NOT NULL,"
  "  remote_id INTEGER NOT NULL DEFAULT 0, link TEXT,"
  "  bookmarked INTEGER NOT NULL DEFAULT 0, saved INTEGER, read INTEGER NOT NULL DEFAULT 0,"
  "  first_stored INTEGER NOT NULL, date INTEGER, title TEXT, author TEXT, source_name TEXT,"
  "  image_url TEXT, categories TEXT, excerpt TEXT, content TEXT,"
  "  UNIQUE (source_url, remote_key));"
  "CREATE INDEX articles_by_date ON articles (date DESC, id DESC);"
  "CREATE INDEX articles_by_source ON articles (source_url, date DESC, id DESC);"
  "CREATE INDEX articles_by_link ON articles (link);"
  "CREATE INDEX articles_by_saved ON articles (saved DESC, id DESC) WHERE bookmarked = 1;"
  "INSERT INTO articles (source_url, remote_key, remote_id, link, bookmarked, saved, read,"
  "  first_stored, date, title, excerpt, content) VALUES"
  "  ('https://digitripx.id', '7', 7, 'https://digitripx.id/lama/', 1, 1600000000000000, 1,"
  "   1600000000000000, 1600000000000000, 'Kabar lama', 'Ringkasan lama',"
  "   '<p>Kebijakan <b>pemerintah</b> soal satelit</p>'),"
  "  ('https://digitripx.id', '8', 8, 'https://digitripx.id/lain/', 0, NULL, 0,"
  "   1600000000000000, 1600000001000000, 'Kabar lain', 'Ringkasan', '<p>Biasa</p>');"
  "PRAGMA user_version = 1;";

static void
test_migrate_from_v1 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  raw_exec (f->path, schema_v1);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 1);

  store = open_ok (f->path);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 3);

  /* Rows stored before the index existed are found, by a word of the body. */
  found = list (store, NULL, DTX_STORE_LIST_ALL, "pemerintah", 0, 10);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (found, 0)), ==, "Kabar lama");

  bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
  g_assert_cmpuint (bookmarks->len, ==, 1);
  g_assert_true (dtx_article_get_bookmarked (g_ptr_array_index (bookmarks, 0)));
  g_assert_true (dtx_article_get_read (g_ptr_array_index (bookmarks, 0)));
  g_assert_cmpint (g_date_time_to_unix (dtx_article_get_saved (g_ptr_array_index (bookmarks, 0))), ==, 1600000000);
}

/* ------------------------------------------------------------------------ */
/* Saving                                                                    */

static void
test_save_by_remote_id (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) again = articles_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  Signals s = { 0 };
  gint64 ids[3];
  DtxArticle *edited;

  watch (store, &s);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (page, numbered_article (i, NULL, "<p>Versi pertama: komodo</p>"));
  g_assert_cmpuint (save_ok (store, "https://digitripx.id", page), ==, 3);
  g_assert_cmpuint (s.articles_changed, ==, 1);
  g_assert_cmpstr (s.last_source, ==, "https://digitripx.id");
  for (guint i = 0; i < 3; i++)
    {
      ids[i] = dtx_article_get_store_id (g_ptr_array_index (page, i));
      g_assert_cmpint (ids[i], >, 0);
      g_assert_false (dtx_article_get_bookmarked (g_ptr_array_index (page, i)));
    }

  g_assert_true (set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, 1), TRUE, &error));
  g_assert_no_error (error);
  set_read (store, "https://digitripx.id", g_ptr_array_index (page, 1), TRUE);

  /* The same page unchanged: nothing new, nothing changed, no signal. */
  g_assert_cmpuint (save_ok (store, "https://digitripx.id", page), ==, 0);
  g_assert_cmpuint (s.articles_changed, ==, 1);

  /* The site edited article 1 (same remote id, new link, title and body). */
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (again, numbered_article (i, NULL, "<p>Versi pertama: komodo</p>"));
  edited = g_ptr_array_index (again, 1);
  dtx_article_set_title (edited, "Judul yang diperbaiki");
  dtx_article_set_link (edited, "https://digitripx.id/artikel-1-baru/");
  dtx_article_set_content (edited, "<p>Versi kedua: anoa</p>");
  g_ptr_array_add (again, numbered_article (3, NULL, NULL));
  g_assert_cmpuint (save_ok (store, "https://digitripx.id", again), ==, 1);
  g_assert_cmpuint (s.articles_changed, ==, 2);

  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (dtx_article_get_store_id (g_ptr_array_index (again, i)), ==, ids[i]);
  /* Bookmark and read state kept, and reported on the fresh objects. */
  g_assert_true (dtx_article_get_bookmarked (edited));
  g_assert_true (dtx_article_get_read (edited));
  g_assert_nonnull (dtx_article_get_saved (edited));

  listed = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 50);
  g_assert_cmpuint (listed->len, ==, 4);
  found = list (store, NULL, DTX_STORE_LIST_ALL, "anoa", 0, 50);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (found, 0)), ==, "Judul yang diperbaiki");
  g_assert_cmpstr (dtx_article_get_link (g_ptr_array_index (found, 0)), ==, "https://digitripx.id/artikel-1-baru/");
  g_clear_pointer (&found, g_ptr_array_unref);
  /* The old body left the index with the edit. */
  found = list (store, NULL, DTX_STORE_LIST_ALL, "komodo", 0, 50);
  g_assert_cmpuint (found->len, ==, 2);

  /* Another source with the same remote ids is another set of articles. */
  g_assert_cmpuint (save_ok (store, "https://other.example", page), ==, 3);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list (store, "https://other.example", DTX_STORE_LIST_ALL, NULL, 0, 50);
  g_assert_cmpuint (listed->len, ==, 3);
  g_assert_false (s.wrong_thread);
  g_free (s.last_source);
}

static void
test_save_by_link (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) feed = articles_new ();
  g_autoptr(GPtrArray) feed_again = articles_new ();
  g_autoptr(GPtrArray) rest = articles_new ();
  g_autoptr(GPtrArray) listed = NULL;
  gint64 first_id;

  /* A feed: no remote ids, keyed by link. */
  g_ptr_array_add (feed, new_article (0, "https://blog.example/a/", "Pertama", "x", NULL, 1700000000));
  g_ptr_array_add (feed, new_article (0, "https://blog.example/b/", "Kedua", "y", NULL, 1700000100));
  g_assert_cmpuint (save_ok (store, "https://blog.example/feed/", feed), ==, 2);
  first_id = dtx_article_get_store_id (g_ptr_array_index (feed, 0));

  g_ptr_array_add (feed_again, new_article (0, "https://blog.example/a/", "Pertama (diperbarui)", "x", NULL, 1700000000));
  g_assert_cmpuint (save_ok (store, "https://blog.example/feed/", feed_again), ==, 0);
  g_assert_cmpint (dtx_article_get_store_id (g_ptr_array_index (feed_again, 0)), ==, first_id);

  /* The same article later with its remote id: re-keyed, not doubled, and
   * the body the feed did not have arrives. */
  g_ptr_array_add (rest, new_article (77, "https://blog.example/a/", "Pertama (diperbarui)", "x",
                                      "<p>Isi lengkap</p>", 1700000000));
  g_assert_cmpuint (save_ok (store, "https://blog.example/feed/", rest), ==, 0);
  g_assert_cmpint (dtx_article_get_store_id (g_ptr_array_index (rest, 0)), ==, first_id);

  listed = list (store, "https://blog.example/feed/", DTX_STORE_LIST_ALL, NULL, 0, 10);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (listed, 1)), ==, "Pertama (diperbarui)");
  g_assert_cmpint (dtx_article_get_id (g_ptr_array_index (listed, 1)), ==, 77);
  /* A list carries no content. */
  g_assert_null (dtx_article_get_content (g_ptr_array_index (listed, 1)));

  /* A feed copy without a body does not erase the stored body. */
  save_ok (store, "https://blog.example/feed/", feed_again);
  {
    g_autoptr(DtxArticle) found = find_url (store, "https://blog.example/a/");

    g_assert_nonnull (found);
    g_assert_cmpstr (dtx_article_get_content (found), ==, "<p>Isi lengkap</p>");
  }
}

static void
test_load_content (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DtxArticle *article;

  g_ptr_array_add (page, numbered_article (1, NULL, "<p>Isi <em>lengkap</em> 🚀</p>"));
  save_ok (store, "https://digitripx.id", page);
  listed = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 1);
  article = g_ptr_array_index (listed, 0);
  g_assert_null (dtx_article_get_content (article));

  dtx_store_load_content_async (store, article, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_load_content_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dtx_article_get_content (article), ==, "<p>Isi <em>lengkap</em> 🚀</p>");

  /* Gone from the store: an error, not a crash or stale content. */
  g_clear_object (&result);
  dtx_article_set_store_id (article, 999999);
  dtx_store_load_content_async (store, article, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_false (dtx_store_load_content_finish (store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_find_url (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(DtxArticle) exact = NULL;
  g_autoptr(DtxArticle) no_slash = NULL;
  g_autoptr(DtxArticle) missing = NULL;
  const char * const *categories;

  g_ptr_array_add (page, numbered_article (5, "Lima", "<p>Isi lima</p>"));
  save_ok (store, "https://digitripx.id", page);

  exact = find_url (store, "https://digitripx.id/artikel-5/");
  g_assert_nonnull (exact);
  g_assert_cmpstr (dtx_article_get_title (exact), ==, "Lima");
  g_assert_cmpstr (dtx_article_get_content (exact), ==, "<p>Isi lima</p>");
  g_assert_cmpstr (dtx_article_get_author (exact), ==, "Redaksi");
  g_assert_cmpstr (dtx_article_get_source_name (exact), ==, "DigiTripX");
  g_assert_cmpstr (dtx_article_get_image_url (exact), ==, "https://digitripx.id/artikel-5/cover.jpg");
  g_assert_cmpint (g_date_time_to_unix (dtx_article_get_date (exact)), ==, 1700000000 + 5 * 60);
  g_assert_cmpint (dtx_article_get_id (exact), ==, 1005);
  categories = dtx_article_get_categories (exact);
  g_assert_nonnull (categories);
  g_assert_cmpstr (categories[0], ==, "Teknologi");
  g_assert_cmpstr (categories[1], ==, "Gadget & Gawai");
  g_assert_null (categories[2]);

  no_slash = find_url (store, "https://digitripx.id/artikel-5");
  g_assert_nonnull (no_slash);
  g_assert_cmpint (dtx_article_get_store_id (no_slash), ==, dtx_article_get_store_id (exact));

  missing = find_url (store, "https://digitripx.id/tidak-ada/");
  g_assert_null (missing);
}

/* ------------------------------------------------------------------------ */
/* Bookmarks, read state, trimming                                           */

static void
test_bookmark_unstored (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(DtxArticle) article = numbered_article (9, "Belum disimpan", "<p>Dibuka dari tautan</p>");
  g_autoptr(DtxArticle) found = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;
  Signals s = { 0 };
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  watch (store, &s);
  g_assert_cmpint (dtx_article_get_store_id (article), ==, 0);
  g_assert_true (set_bookmarked (store, "https://digitripx.id", article, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dtx_article_get_store_id (article), >, 0);
  g_assert_true (dtx_article_get_bookmarked (article));
  g_assert_nonnull (dtx_article_get_saved (article));
  g_assert_cmpint (g_date_time_to_unix (dtx_article_get_saved (article)), >=, before);
  g_assert_cmpuint (s.article_changed, ==, 1);
  g_assert_cmpint (s.last_id, ==, dtx_article_get_store_id (article));
  g_assert_true (s.last_bookmarked);
  g_assert_false (s.last_read);
  g_assert_false (s.wrong_thread);

  found = find_url (store, "https://digitripx.id/artikel-9/");
  g_assert_nonnull (found);
  g_assert_true (dtx_article_get_bookmarked (found));
  g_assert_cmpstr (dtx_article_get_content (found), ==, "<p>Dibuka dari tautan</p>");

  bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
  g_assert_cmpuint (bookmarks->len, ==, 1);

  g_assert_true (set_bookmarked (store, "https://digitripx.id", article, FALSE, &error));
  g_assert_false (dtx_article_get_bookmarked (article));
  g_assert_null (dtx_article_get_saved (article));
  g_assert_cmpuint (s.article_changed, ==, 2);
  g_assert_false (s.last_bookmarked);
  g_clear_pointer (&bookmarks, g_ptr_array_unref);
  bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
  g_assert_cmpuint (bookmarks->len, ==, 0);
  g_free (s.last_source);
}

static void
test_bookmarks_order (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "Artikel nomor 0", "Artikel nomor 4", "Artikel nomor 2", NULL };

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (page, numbered_article (i, NULL, NULL));
  save_ok (store, "https://digitripx.id", page);
  /* Saved in this order; listed newest saved first, whatever the dates. */
  set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, 2), TRUE, &error);
  g_usleep (2000);
  set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, 4), TRUE, &error);
  g_usleep (2000);
  set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, 0), TRUE, &error);
  g_assert_no_error (error);

  bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
  g_assert_true (titles_are (bookmarks, expected));
}

static void
test_read_state (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) a = articles_new ();
  g_autoptr(GPtrArray) b = articles_new ();
  g_autoptr(GPtrArray) unread = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Signals s = { 0 };

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (a, numbered_article (i, NULL, NULL));
  for (guint i = 10; i < 12; i++)
    g_ptr_array_add (b, numbered_article (i, NULL, NULL));
  save_ok (store, "https://a.example", a);
  save_ok (store, "https://b.example", b);
  watch (store, &s);

  set_read (store, "https://a.example", g_ptr_array_index (a, 0), TRUE);
  g_assert_true (dtx_article_get_read (g_ptr_array_index (a, 0)));
  g_assert_cmpuint (s.article_changed, ==, 1);
  g_assert_true (s.last_read);
  g_assert_cmpint (s.last_id, ==, dtx_article_get_store_id (g_ptr_array_index (a, 0)));

  unread = list (store, NULL, DTX_STORE_LIST_UNREAD, NULL, 0, 10);
  g_assert_cmpuint (unread->len, ==, 4);
  for (guint i = 0; i < unread->len; i++)
    g_assert_false (dtx_article_get_read (g_ptr_array_index (unread, i)));

  /* Unread again. */
  set_read (store, "https://a.example", g_ptr_array_index (a, 0), FALSE);
  g_assert_false (s.last_read);
  g_clear_pointer (&unread, g_ptr_array_unref);
  unread = list (store, NULL, DTX_STORE_LIST_UNREAD, NULL, 0, 10);
  g_assert_cmpuint (unread->len, ==, 5);

  /* All of one source. */
  dtx_store_mark_all_read_async (store, "https://a.example", NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_mark_all_read_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.articles_changed, ==, 1);
  g_assert_cmpstr (s.last_source, ==, "https://a.example");
  g_clear_pointer (&unread, g_ptr_array_unref);
  unread = list (store, NULL, DTX_STORE_LIST_UNREAD, NULL, 0, 10);
  g_assert_cmpuint (unread->len, ==, 2);
  g_clear_pointer (&unread, g_ptr_array_unref);
  unread = list (store, "https://b.example", DTX_STORE_LIST_UNREAD, NULL, 0, 10);
  g_assert_cmpuint (unread->len, ==, 2);

  /* All of every source. */
  g_clear_object (&result);
  dtx_store_mark_all_read_async (store, NULL, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_mark_all_read_finish (store, result, &error));
  g_assert_cmpuint (s.articles_changed, ==, 2);
  g_assert_null (s.last_source);
  g_clear_pointer (&unread, g_ptr_array_unref);
  unread = list (store, NULL, DTX_STORE_LIST_UNREAD, NULL, 0, 10);
  g_assert_cmpuint (unread->len, ==, 0);
  g_assert_false (s.wrong_thread);
  g_free (s.last_source);
}

static void
test_trim_keeps_bookmarks (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_auto(GStrv) images = NULL;
  g_autoptr(GError) error = NULL;
  guint n_deleted = 0;
  Signals s = { 0 };

  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (page, numbered_article (i, NULL, i == 3 ? "<p>burung cendrawasih</p>" : NULL));
  save_ok (store, "https://digitripx.id", page);
  g_assert_true (set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, 1), TRUE, &error));
  watch (store, &s);

  /* Nothing is old yet. */
  g_assert_true (trim (store, 30, &n_deleted, &images));
  g_assert_cmpuint (n_deleted, ==, 0);
  g_assert_cmpuint (g_strv_length (images), ==, 4);
  g_assert_cmpuint (s.articles_changed, ==, 0);
  g_clear_pointer (&images, g_strfreev);

  /* Articles 0, 1 (bookmarked) and 3 were first stored 40 days ago. */
  raw_exec (f->path, "UPDATE articles SET first_stored = first_stored - 40 * 86400 * 1000000"
                     " WHERE remote_id IN (1000, 1001, 1003)");
  g_assert_true (trim (store, 30, &n_deleted, &images));
  g_assert_cmpuint (n_deleted, ==, 2);
  g_assert_cmpuint (s.articles_changed, ==, 1);
  g_assert_true (g_strv_contains ((const char * const *)images, "https://digitripx.id/artikel-1/cover.jpg"));
  g_assert_true (g_strv_contains ((const char * const *)images, "https://digitripx.id/artikel-2/cover.jpg"));
  g_assert_cmpuint (g_strv_length (images), ==, 2);

  left = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 10);
  g_assert_cmpuint (left->len, ==, 2);
  /* The index lost the deleted body too. */
  found = list (store, NULL, DTX_STORE_LIST_ALL, "cendrawasih", 0, 10);
  g_assert_cmpuint (found->len, ==, 0);
  assert_integrity (f->path);
  g_free (s.last_source);
}

/* ------------------------------------------------------------------------ */
/* Search                                                                    */

static GPtrArray *
search_corpus (DtxStore *store)
{
  GPtrArray *page = articles_new ();

  g_ptr_array_add (page, new_article (1, "https://digitripx.id/berita-teknologi/",
                                      "Berita teknologi pekan ini", "Rangkuman berita",
                                      "<p>Ponsel baru dan <b>satelit</b>.</p>", 1700000000));
  g_ptr_array_add (page, new_article (2, "https://digitripx.id/pemerintah-ai/",
                                      "Aturan AI", "Kebijakan baru",
                                      "<div>Pemerintah menyiapkan aturan kecerdasan buatan &amp; data.</div>"
                                      "<script>var rahasia = 1;</script>", 1700000100));
  g_ptr_array_add (page, new_article (3, "https://digitripx.id/telegram/",
                                      "Telegram menambah fitur", "Aplikasi pesan",
                                      "<p>Fitur cerita untuk semua pengguna.</p>", 1700000200));
  g_ptr_array_add (page, new_article (4, "https://digitripx.id/cafe/",
                                      "Café digital di Bandung", "Kopi dan Android",
                                      "<p>Tempat nongkrong para pengembang.</p>", 1700000300));
  save_ok (store, "https://digitripx.id", page);
  return page;
}

static const char *
only_title (DtxStore   *store,
            const char *search)
{
  g_autoptr(GPtrArray) found = list (store, NULL, DTX_STORE_LIST_ALL, search, 0, 10);

  if (found->len != 1)
    return "(not exactly one)";
  return g_intern_string (dtx_article_get_title (g_ptr_array_index (found, 0)));
}

static void
test_search_indonesian (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = search_corpus (store);
  g_autoptr(GPtrArray) none = NULL;

  g_assert_cmpstr (only_title (store, "berita"), ==, "Berita teknologi pekan ini");
  g_assert_cmpstr (only_title (store, "teknologi"), ==, "Berita teknologi pekan ini");
  g_assert_cmpstr (only_title (store, "tekno"), ==, "Berita teknologi pekan ini");
  /* A word of the body only, in HTML. */
  g_assert_cmpstr (only_title (store, "pemerintah"), ==, "Aturan AI");
  g_assert_cmpstr (only_title (store, "PEMERINTAH"), ==, "Aturan AI");
  g_assert_cmpstr (only_title (store, "satelit"), ==, "Berita teknologi pekan ini");
  /* A prefix. */
  g_assert_cmpstr (only_title (store, "tele"), ==, "Telegram menambah fitur");
  g_assert_cmpstr (only_title (store, "Tele fitur"), ==, "Telegram menambah fitur");
  /* Diacritics folded both ways. */
  g_assert_cmpstr (only_title (store, "cafe"), ==, "Café digital di Bandung");
  g_assert_cmpstr (only_title (store, "café"), ==, "Café digital di Bandung");
  /* An entity is a character, not a word. */
  g_assert_cmpstr (only_title (store, "data"), ==, "Aturan AI");
  /* Script content is not text of the article. */
  none = list (store, NULL, DTX_STORE_LIST_ALL, "rahasia", 0, 10);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);
  /* Every word must match. */
  none = list (store, NULL, DTX_STORE_LIST_ALL, "berita telegram", 0, 10);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);
  /* Within a source, and within the bookmarks. */
  none = list (store, "https://other.example", DTX_STORE_LIST_ALL, "berita", 0, 10);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);
  none = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, "berita", 0, 10);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_search_hostile (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const hostile[] = {
    "\"", "\"\"", "'", "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "*", "-", "^", "(", ")",
    "title:", "title:berita", "{title excerpt}: x", "a AND", "AND OR NOT", "berita\"",
    "\"berita", "%", "_", "\\", "\\\"", "*berita", "berita*", "-berita", "+", ":", "::",
    "berita) OR (1", "'; DROP TABLE articles; --", "\xff\xfe", "ber\xc3", "\t\n ",
    "NEAR(\"a\" \"b\", 3)", "a:b:c", "🚀", "ـ", "\u200f",
    /* Letters newer than SQLite's tables: one word to us, maybe two to it. */
    "a\xea\x9f\x91" "b", "tek\xf0\x9e\x8a\x90no", "berita\xcc\x81",
  };
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = search_corpus (store);
  g_autofree char *long_query = NULL;
  GString *many = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      /* list() fails the test on any error. */
      g_autoptr(GPtrArray) found = list (store, NULL, DTX_STORE_LIST_ALL, hostile[i], 0, 10);

      g_autofree char *shown = g_strescape (hostile[i], NULL);

      g_test_message ("%s: %u", shown, found->len);
    }

  /* Operators are words to look for: "AND" finds "Android". */
  g_assert_cmpstr (only_title (store, "AND"), ==, "Café digital di Bandung");
  g_assert_cmpstr (only_title (store, "berita\""), ==, "Berita teknologi pekan ini");
  g_assert_cmpstr (only_title (store, "-berita"), ==, "Berita teknologi pekan ini");

  long_query = g_strnfill (10000, 'a');
  for (guint i = 0; i < 500; i++)
    g_string_append (many, "kata ");
  {
    g_autoptr(GPtrArray) found = list (store, NULL, DTX_STORE_LIST_ALL, long_query, 0, 10);
    g_autoptr(GPtrArray) found_many = list (store, NULL, DTX_STORE_LIST_ALL, many->str, 0, 10);

    g_assert_cmpuint (found->len, ==, 0);
    g_assert_cmpuint (found_many->len, ==, 0);
  }
  g_string_free (many, TRUE);

  /* The table is still there. */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles"), ==, 4);
}

static void
test_search_rank (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) found = NULL;
  GString *body = g_string_new ("<p>");
  const char *expected[] = { "Kuantum di judul", "Sebut di ringkasan", "Hanya di isi", NULL };

  for (guint i = 0; i < 50; i++)
    g_string_append (body, "kata pengisi lain ");
  g_string_append (body, "kuantum</p>");

  /* Stored body-only first and newest, so neither id nor date order gives
   * the expected result. */
  g_ptr_array_add (page, new_article (1, "https://x.example/1/", "Hanya di isi", "Biasa", body->str, 1700009000));
  g_ptr_array_add (page, new_article (2, "https://x.example/2/", "Sebut di ringkasan", "Soal kuantum",
                                      "<p>Lain</p>", 1700008000));
  g_ptr_array_add (page, new_article (3, "https://x.example/3/", "Kuantum di judul", "Biasa",
                                      "<p>Lain</p>", 1700000000));
  save_ok (store, "https://x.example", page);
  g_string_free (body, TRUE);

  found = list (store, NULL, DTX_STORE_LIST_ALL, "kuantum", 0, 10);
  g_assert_true (titles_are (found, expected));
}

static void
wait_until_indexed (const char *path)
{
  for (guint i = 0; i < 1000; i++)
    {
      if (raw_int (path, "SELECT count(*) FROM articles WHERE indexed = 0") == 0)
        return;
      g_usleep (10000);
    }
  g_error ("the worker did not index the stored rows while idle");
}

static void
test_search_indexed_when_idle (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) edited = articles_new ();
  g_autoptr(GPtrArray) found = NULL;

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (page, numbered_article (i, NULL, i == 7 ? "<p>Harimau sumatra</p>" : NULL));
  save_ok (store, "https://digitripx.id", page);

  /* No search asked: the idle worker indexes them all the same. */
  wait_until_indexed (f->path);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harimau'"), ==, 1);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'artikel'"), ==, 30);

  /* An edit takes the old text out of the index in the same transaction. */
  g_ptr_array_add (edited, numbered_article (7, NULL, "<p>Gajah kalimantan</p>"));
  save_ok (store, "https://digitripx.id", edited);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'harimau'"), ==, 0);

  /* And a search indexes what is left before it looks. */
  found = list (store, NULL, DTX_STORE_LIST_ALL, "gajah", 0, 10);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles WHERE indexed = 0"), ==, 0);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'artikel'"), ==, 30);
}

static void
test_search_without_fts (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GPtrArray) page = NULL;

  /* A file made where SQLite has no FTS5: searches fall back to LIKE. */
  dtx_store_disable_fts_for_testing (TRUE);
  store = open_ok (f->path);
  dtx_store_disable_fts_for_testing (FALSE);
  g_assert_false (dtx_store_has_fts_for_testing (store));
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'articles_fts'"), ==, 0);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 3);
  page = search_corpus (store);

  g_assert_cmpstr (only_title (store, "pemerintah"), ==, "Aturan AI");
  g_assert_cmpstr (only_title (store, "tele"), ==, "Telegram menambah fitur");
  g_assert_cmpstr (only_title (store, "Berita"), ==, "Berita teknologi pekan ini");
  /* LIKE's wildcards are not wildcards here. */
  g_assert_cmpstr (only_title (store, "berita_ %"), ==, "Berita teknologi pekan ini");
  for (guint i = 0; i < 4; i++)
    {
      static const char * const hostile[] = { "%", "_%_", "\\", "'--" };
      g_autoptr(GPtrArray) found = list (store, NULL, DTX_STORE_LIST_ALL, hostile[i], 0, 10);

      g_assert_cmpuint (found->len, ==, 0);
    }

  /* Opened again where SQLite has FTS5: indexed, with what is stored. */
  g_clear_object (&store);
  store = open_ok (f->path);
  g_assert_true (dtx_store_has_fts_for_testing (store));
  g_assert_cmpstr (only_title (store, "pemerintah"), ==, "Aturan AI");
  g_assert_cmpstr (only_title (store, "cafe"), ==, "Café digital di Bandung");
}

/* ------------------------------------------------------------------------ */
/* Paging                                                                    */

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) paged = g_ptr_array_new_with_free_func (g_object_unref);

  /* 25 articles; 5 of them share one date, so the tie needs the id. */
  for (guint i = 0; i < 25; i++)
    {
      DtxArticle *article = numbered_article (i, NULL, NULL);

      if (i >= 10 && i < 15)
        {
          g_autoptr(GDateTime) same = g_date_time_new_from_unix_utc (1700000000 + 12 * 60);

          dtx_article_set_date (article, same);
        }
      g_ptr_array_add (page, article);
    }
  save_ok (store, "https://digitripx.id", page);

  all = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 100);
  g_assert_cmpuint (all->len, ==, 25);
  for (guint i = 1; i < all->len; i++)
    {
      DtxArticle *prev = g_ptr_array_index (all, i - 1);
      DtxArticle *next = g_ptr_array_index (all, i);
      gint cmp = g_date_time_compare (dtx_article_get_date (prev), dtx_article_get_date (next));

      g_assert_cmpint (cmp, >=, 0);
      if (cmp == 0)
        g_assert_cmpint (dtx_article_get_store_id (prev), >, dtx_article_get_store_id (next));
    }

  for (guint offset = 0; offset < 30; offset += 7)
    {
      g_autoptr(GPtrArray) part = list (store, NULL, DTX_STORE_LIST_ALL, NULL, offset, 7);

      g_assert_cmpuint (part->len, ==, MIN (7, 25 - MIN (offset, 25)));
      for (guint i = 0; i < part->len; i++)
        g_ptr_array_add (paged, g_object_ref (g_ptr_array_index (part, i)));
    }
  g_assert_cmpuint (paged->len, ==, 25);
  for (guint i = 0; i < 25; i++)
    {
      gint64 *id = g_new (gint64, 1);

      *id = dtx_article_get_store_id (g_ptr_array_index (paged, i));
      g_assert_cmpint (*id, ==, dtx_article_get_store_id (g_ptr_array_index (all, i)));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, id);
    }
}

/* ------------------------------------------------------------------------ */
/* Export and import                                                         */

static const char * const hostile_titles[] = {
  "<script>alert('x')</script>",
  "Kutip \"ganda\" dan 'tunggal' \\ garis miring",
  "Emoji 🚀🇮🇩 dan ZWJ 👩‍💻",
  "Pemerintah umumkan kebijakan teknologi baru",
  "عنوان عربي من اليمين إلى اليسار",
  "עברית \u202e reversed \u202c",
  "Tab\tbaris\nbaru dan kontrol \x01\x1b",
  "JSON ]}{[ \\u0000 ",
};

static void
test_export_import_round_trip (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(DtxStore) fresh = NULL;
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = g_build_filename (f->dir, "bookmarks.json", NULL);
  g_autofree char *fresh_path = g_build_filename (f->dir, "fresh", "store.db", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint n_written = 0, n_added = 0, n_skipped = 0;
  Signals s = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (hostile_titles); i++)
    {
      DtxArticle *article = numbered_article (i, hostile_titles[i], NULL);
      g_autofree char *content = g_strdup_printf ("<p>%s</p><img src=x onerror=alert(1)>", hostile_titles[i]);

      dtx_article_set_content (article, content);
      dtx_article_set_author (article, hostile_titles[(i + 1) % G_N_ELEMENTS (hostile_titles)]);
      g_ptr_array_add (page, article);
    }
  /* One without date or image. */
  dtx_article_set_date (g_ptr_array_index (page, 0), NULL);
  dtx_article_set_image_url (g_ptr_array_index (page, 0), NULL);
  save_ok (store, "https://digitripx.id", page);
  for (guint i = 0; i < page->len; i++)
    {
      g_assert_true (set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, i), TRUE, &error));
      g_assert_no_error (error);
    }
  /* One not bookmarked: not exported. */
  {
    g_autoptr(GPtrArray) extra = articles_new ();

    g_ptr_array_add (extra, numbered_article (99, NULL, NULL));
    save_ok (store, "https://digitripx.id", extra);
  }

  g_assert_true (export_bookmarks (store, export_path, &n_written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_written, ==, G_N_ELEMENTS (hostile_titles));
  g_assert_true (json_parser_load_from_mapped_file (parser, export_path, &error));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, n_written);

  fresh = open_ok (fresh_path);
  watch (fresh, &s);
  g_assert_true (import_bookmarks (fresh, export_path, &n_added, &n_skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, G_N_ELEMENTS (hostile_titles));
  g_assert_cmpuint (n_skipped, ==, 0);
  g_assert_cmpuint (s.articles_changed, ==, 1);

  for (guint i = 0; i < page->len; i++)
    {
      DtxArticle *original = g_ptr_array_index (page, i);
      g_autoptr(DtxArticle) copy = find_url (fresh, dtx_article_get_link (original));
      const char * const *cats;

      g_assert_nonnull (copy);
      g_assert_true (dtx_article_get_bookmarked (copy));
      g_assert_cmpstr (dtx_article_get_title (copy), ==, dtx_article_get_title (original));
      g_assert_cmpstr (dtx_article_get_author (copy), ==, dtx_article_get_author (original));
      g_assert_cmpstr (dtx_article_get_excerpt (copy), ==, dtx_article_get_excerpt (original));
      g_assert_cmpstr (dtx_article_get_content (copy), ==, dtx_article_get_content (original));
      g_assert_cmpstr (dtx_article_get_image_url (copy), ==, dtx_article_get_image_url (original));
      g_assert_cmpstr (dtx_article_get_source_name (copy), ==, dtx_article_get_source_name (original));
      g_assert_true ((dtx_article_get_date (copy) == NULL) == (dtx_article_get_date (original) == NULL));
      if (dtx_article_get_date (copy) != NULL)
        g_assert_true (g_date_time_equal (dtx_article_get_date (copy), dtx_article_get_date (original)));
      g_assert_true (g_date_time_equal (dtx_article_get_saved (copy), dtx_article_get_saved (original)));
      cats = dtx_article_get_categories (copy);
      g_assert_nonnull (cats);
      g_assert_cmpstr (cats[1], ==, "Gadget & Gawai");
    }

  /* The same bookmarks again: all skipped, nothing doubled. */
  g_assert_true (import_bookmarks (fresh, export_path, &n_added, &n_skipped, &error));
  g_assert_cmpuint (n_added, ==, 0);
  g_assert_cmpuint (n_skipped, ==, G_N_ELEMENTS (hostile_titles));
  g_assert_cmpuint (s.articles_changed, ==, 1);
  imported = list (fresh, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 100);
  g_assert_cmpuint (imported->len, ==, G_N_ELEMENTS (hostile_titles));
  /* Same order as the saved times gave in the first store. */
  {
    g_autoptr(GPtrArray) originals = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 100);

    for (guint i = 0; i < originals->len; i++)
      g_assert_cmpstr (dtx_article_get_link (g_ptr_array_index (imported, i)), ==,
                       dtx_article_get_link (g_ptr_array_index (originals, i)));
  }

  /* Exporting over an existing file replaces it whole. */
  g_assert_true (export_bookmarks (fresh, export_path, &n_written, &error));
  g_assert_cmpuint (n_written, ==, G_N_ELEMENTS (hostile_titles));
  g_free (s.last_source);
}

static void
test_import_bad_files (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const bad[] = {
    "",
    "not json at all",
    "[{\"url\": \"https://a.example/\"}",                       /* truncated */
    "{\"url\": \"https://a.example/\"}",                         /* an object */
    "\"https://a.example/\"",
    "[1, 2, 3]",
    "[[\"https://a.example/\"]]",
    "[{\"title\": \"no url\"}]",
    "[{\"url\": 5}]",
    "[{\"url\": \"javascript:alert(1)\"}]",
    "[{\"url\": \"https://ok.example/\"}, {\"url\": \"javascript:alert(1)\"}]",
    "[{\"url\": \"data:text/html,<script>\"}]",
    "[{\"url\": \"file:///etc/passwd\"}]",
    "[{\"url\": \"https://\"}]",
    "[{\"url\": \"https://ok.example/\", \"title\": {\"x\": 1}}]",
    "[{\"url\": \"https://ok.example/\", \"categories\": \"Teknologi\"}]",
    "[{\"url\": \"https://ok.example/\", \"categories\": [1]}]",
    "[{\"url\": \"https://ok.example/\", \"date\": \"yesterday\"}]",
    "[{\"url\": \"https://ok.example/\", \"saved\": 12}]",
    "\xff\xfe[\x00]",
  };
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(DtxArticle) kept = numbered_article (1, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "import.json", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.json", NULL);
  guint n_added = 99, n_skipped = 99;
  Signals s = { 0 };

  g_assert_true (set_bookmarked (store, "https://digitripx.id", kept, TRUE, &error));
  watch (store, &s);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) bookmarks = NULL;
      g_autofree char *shown = g_strescape (bad[i], NULL);

      g_test_message ("import: %s", shown);
      g_assert_true (g_file_set_contents (file, bad[i], i == G_N_ELEMENTS (bad) - 1 ? 6 : -1, NULL));
      g_assert_false (import_bookmarks (store, file, &n_added, &n_skipped, &error));
      g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_BAD_FILE);
      g_assert_cmpstr (error->message, !=, "");
      g_clear_error (&error);
      g_assert_cmpuint (n_added, ==, 0);

      bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
      g_assert_cmpuint (bookmarks->len, ==, 1);
    }
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles"), ==, 1);
  g_assert_cmpuint (s.articles_changed, ==, 0);

  g_assert_false (import_bookmarks (store, missing, &n_added, &n_skipped, &error));
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO);
  g_clear_error (&error);

  /* An empty array is a valid file with nothing in it. */
  g_assert_true (g_file_set_contents (file, "[]", -1, NULL));
  g_assert_true (import_bookmarks (store, file, &n_added, &n_skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 0);
  g_free (s.last_source);
}

/* ------------------------------------------------------------------------ */
/* Crashes and a second process                                              */

static const char *self_exe;

/* In the child: bookmark, say so on stdout, then wait to be killed. */
static int
child_bookmark (const char *path)
{
  g_autoptr(GError) error = NULL;
  DtxStore *store = open_store (path, NULL, NULL, &error);
  g_autoptr(DtxArticle) article = numbered_article (42, "Disimpan sebelum mati", "<p>Isi penting</p>");

  if (error != NULL)
    g_error ("child open: %s", error->message);
  if (!set_bookmarked (store, "https://digitripx.id", article, TRUE, &error))
    g_error ("child bookmark: %s", error->message);
  if (write (STDOUT_FILENO, "saved\n", 6) != 6)
    return 1;
  for (;;)
    g_usleep (G_USEC_PER_SEC);
}

/* In the child: save pages while the parent reads. */
static int
child_writer (const char *path,
              guint       n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxStore) store = open_store (path, NULL, NULL, &error);

  if (error != NULL)
    g_error ("child open: %s", error->message);
  for (guint p = 0; p < n_pages; p++)
    {
      g_autoptr(GPtrArray) page = articles_new ();

      for (guint i = 0; i < 20; i++)
        g_ptr_array_add (page, numbered_article (p * 20 + i, NULL, "<p>Tulisan dari proses anak</p>"));
      save (store, "https://child.example", page, &error);
      if (error != NULL)
        g_error ("child save: %s", error->message);
    }
  return 0;
}

static void
test_crash_keeps_bookmark (Fixture       *f,
                           gconstpointer  data)
{
  const char *argv[] = { self_exe, "--child-bookmark", f->path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(DtxArticle) found = NULL;
  char buffer[16] = { 0 };
  gsize got = 0;
  GPid pid;
  int out_fd;
  int status;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  while (got < 6)
    {
      gssize n = read (out_fd, buffer + got, 6 - got);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      got += n;
    }
  g_assert_cmpstr (buffer, ==, "saved\n");
  /* Killed the moment the call returned: no close, no checkpoint. */
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  close (out_fd);
  g_spawn_close_pid (pid);

  store = open_ok (f->path);
  found = find_url (store, "https://digitripx.id/artikel-42/");
  g_assert_nonnull (found);
  g_assert_true (dtx_article_get_bookmarked (found));
  g_assert_cmpstr (dtx_article_get_content (found), ==, "<p>Isi penting</p>");
}

static void
test_two_processes (Fixture       *f,
                    gconstpointer  data)
{
  const char *argv[] = { self_exe, "--child-writer", f->path, "40", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autofree char *export_path = g_build_filename (f->dir, "export.json", NULL);
  g_autofree char *check = NULL;
  guint rounds = 0;
  int status = 0;
  GPid pid;

  /* Something to export. */
  {
    g_autoptr(DtxArticle) article = numbered_article (7, NULL, NULL);

    g_assert_true (set_bookmarked (store, "https://digitripx.id", article, TRUE, &error));
  }

  g_assert_true (g_spawn_async (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GPtrArray) page = articles_new ();
      g_autoptr(GPtrArray) listed = NULL;
      guint n_written = 0;
      pid_t done;

      listed = list (store, NULL, DTX_STORE_LIST_ALL, "tulisan", 0, 50);
      g_assert_true (export_bookmarks (store, export_path, &n_written, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_written, ==, 1);
      g_ptr_array_add (page, numbered_article (500 + rounds, NULL, NULL));
      save (store, "https://parent.example", page, &error);
      g_assert_no_error (error);
      rounds++;

      done = waitpid (pid, &status, WNOHANG);
      g_assert_cmpint (done, >=, 0);
      if (done == pid)
        break;
    }
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_test_message ("%u parent rounds while the child wrote", rounds);

  g_clear_object (&store);
  check = raw_text (f->path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles WHERE source_url = 'https://child.example'"), ==, 800);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles WHERE source_url = 'https://parent.example'"), ==, rounds);
  /* The index agrees with the table. */
  store = open_ok (f->path);
  {
    g_autoptr(GPtrArray) found = list (store, "https://child.example", DTX_STORE_LIST_ALL, "tulisan", 0, 1000);

    g_assert_cmpuint (found->len, ==, 800);
  }
}

/* ------------------------------------------------------------------------ */
/* Damaged files                                                             */

/* A store with n articles whose first n_bookmarks are bookmarked, closed. */
static void
make_store (const char *path,
            guint       n,
            guint       n_bookmarks,
            gsize       body_size)
{
  g_autoptr(DtxStore) store = open_ok (path);
  g_autoptr(GError) error = NULL;
  GString *body = g_string_new ("<p>");

  while (body->len < body_size)
    g_string_append (body, "Isi artikel panjang tentang teknologi dan pemerintah. ");
  g_string_append (body, "</p>");

  for (guint start = 0; start < n; start += 20)
    {
      g_autoptr(GPtrArray) page = articles_new ();

      for (guint i = start; i < MIN (start + 20, n); i++)
        g_ptr_array_add (page, numbered_article (i, NULL, body->str));
      save_ok (store, "https://digitripx.id", page);
      for (guint i = start; i < MIN (start + 20, n); i++)
        if (i < n_bookmarks)
          g_assert_true (set_bookmarked (store, "https://digitripx.id", g_ptr_array_index (page, i - start),
                                         TRUE, &error));
    }
  g_string_free (body, TRUE);
  /* Closed now, not when the signals still queued for the main loop let
   * go of the store: a late close would checkpoint over the damage a test
   * writes next. */
  dtx_store_close (store);
}

static void
assert_moved_aside (const char *path,
                    const char *moved_to)
{
  g_autofree char *prefix = g_strconcat (path, ".corrupt-", NULL);
  const char *stamp;

  g_assert_nonnull (moved_to);
  g_assert_true (g_str_has_prefix (moved_to, prefix));
  stamp = moved_to + strlen (prefix);
  /* YYYYMMDD-HHMMSS */
  g_assert_cmpuint (strlen (stamp), >=, 15);
  for (guint i = 0; i < 15; i++)
    g_assert_true (i == 8 ? stamp[i] == '-' : g_ascii_isdigit (stamp[i]));
  g_assert_true (g_file_test (moved_to, G_FILE_TEST_EXISTS));
}

/* The fresh store works: it takes a new article and finds it. */
static void
assert_usable (DtxStore *store)
{
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(GPtrArray) found = NULL;

  g_assert_false (dtx_store_is_read_only (store));
  g_ptr_array_add (page, new_article (9999, "https://digitripx.id/baru/", "Setelah perbaikan", NULL,
                                      "<p>zebra</p>", 1800000000));
  save_ok (store, "https://digitripx.id", page);
  found = list (store, NULL, DTX_STORE_LIST_ALL, "zebra", 0, 10);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_corrupt_garbage (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *garbage = g_malloc (64 * 1024);
  g_autofree char *kept = NULL;
  gsize kept_len = 0;
  guint n_recovered = 99;
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 64 * 1024; i++)
    garbage[i] = g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, garbage, 64 * 1024, NULL));

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  assert_moved_aside (f->path, moved_to);
  g_assert_cmpuint (n_recovered, ==, 0);
  /* The old bytes are kept as they were, for whoever wants to look. */
  g_assert_true (g_file_get_contents (moved_to, &kept, &kept_len, NULL));
  g_assert_cmpuint (kept_len, ==, 64 * 1024);
  g_assert_cmpmem (kept, kept_len, garbage, 64 * 1024);
  assert_usable (store);
}

static void
test_corrupt_truncated (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookmarks = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;
  GStatBuf st;

  make_store (f->path, 120, 6, 6000);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  /* Mid-page, past the first third of the file. */
  g_assert_cmpint (truncate (f->path, (st.st_size / 4096) * 4096 / 2 + 1000), ==, 0);

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  assert_moved_aside (f->path, moved_to);
  g_assert_cmpuint (n_recovered, ==, 6);

  bookmarks = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 50);
  g_assert_cmpuint (bookmarks->len, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://digitripx.id/artikel-%u/", i);
      g_autoptr(DtxArticle) found = find_url (store, link);

      g_assert_nonnull (found);
      g_assert_true (dtx_article_get_bookmarked (found));
      g_autofree char *title = g_strdup_printf ("Artikel nomor %u", i);

      g_assert_cmpstr (dtx_article_get_title (found), ==, title);
      g_assert_nonnull (dtx_article_get_saved (found));
    }
  /* Only bookmarks are carried over. */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles"), ==, 6);
  assert_usable (store);
}

/* Damages one page of the index by link: the table itself is whole, so
 * every bookmark must come back. */
static void
damage_link_index (const char *path)
{
  g_autofree char *junk = g_strnfill (4096, 'J');
  gint64 page;
  int fd;

  page = raw_int (path, "SELECT pageno FROM dbstat WHERE name = 'articles_by_link' ORDER BY pageno DESC LIMIT 1");
  g_assert_cmpint (page, >, 1);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, 4096, (page - 1) * 4096), ==, 4096);
  close (fd);
}

/* Damage inside a file that was closed cleanly is not looked for at start
 * (a full check of a large store takes half a second): the first read that
 * meets it fails with a message, and the next start repairs the file. */
static void
test_corrupt_index_page (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxArticle) found = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;

  make_store (f->path, 300, 10, 600);
  damage_link_index (f->path);

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  g_assert_null (moved_to);
  dtx_store_find_url_async (store, "https://digitripx.id/artikel-299/", NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  found = dtx_store_find_url_finish (store, result, &error);
  g_assert_null (found);
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO);
  g_assert_null (strstr (error->message, "malformed"));
  g_clear_error (&error);
  g_clear_object (&store);

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  assert_moved_aside (f->path, moved_to);
  g_assert_cmpuint (n_recovered, ==, 10);
  assert_usable (store);
}

/* Closing ends the work whoever still holds the store: the file is left
 * closed cleanly (no open marker), and later calls fail without a crash. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *marker = g_strdup_printf ("%s.open-%d", f->path, (int)getpid ());

  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  dtx_store_close (store);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  dtx_store_close (store);

  dtx_store_list_async (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 10, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  rows = dtx_store_list_finish (store, result, &error);
  g_assert_null (rows);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* A process that died with the file open leaves its marker: the next start
 * checks the whole file and finds the damage at once. */
static void
test_unclean_end_checks (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;

  make_store (f->path, 300, 10, 600);
  damage_link_index (f->path);
  /* The id of a process that has ended: reaped here, so the id is known
   * (GSubprocess forgets it once its worker reaps the child). */
  {
    const char *argv[] = { "true", NULL };
    GPid pid = 0;
    int status = 0;

    g_assert_true (g_spawn_async (NULL, (char **)argv, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                  NULL, NULL, &pid, &error));
    g_assert_no_error (error);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    marker = g_strdup_printf ("%s.open-%d", f->path, (int)pid);
  }
  g_assert_true (g_file_set_contents (marker, "", 0, NULL));

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  assert_moved_aside (f->path, moved_to);
  g_assert_cmpuint (n_recovered, ==, 10);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  assert_usable (store);
}

static void
test_corrupt_directory (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 99;

  g_assert_cmpint (g_mkdir_with_parents (f->path, 0700), ==, 0);
  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  assert_moved_aside (f->path, moved_to);
  g_assert_true (g_file_test (moved_to, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (n_recovered, ==, 0);
  assert_usable (store);
}

static void
test_read_only_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;

  make_store (f->path, 10, 3, 200);
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_no_error (error);
  if (getuid () == 0)
    {
      /* Root writes through the mode: the file is used as it is. */
      g_test_message ("as root a 0444 file stays writable: used in place");
      g_assert_null (moved_to);
      g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles WHERE bookmarked = 1"), ==, 3);
    }
  else
    {
      /* A file SQLite can only read goes aside; its bookmarks come over. */
      assert_moved_aside (f->path, moved_to);
      g_assert_cmpuint (n_recovered, ==, 3);
    }
  assert_usable (store);
}

static void
test_newer_schema (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) page = articles_new ();
  g_autoptr(DtxArticle) article = numbered_article (50, NULL, NULL);
  g_autofree char *moved_to = NULL;
  guint n_recovered = 0;
  GStatBuf before, after;

  make_store (f->path, 5, 1, 200);
  raw_exec (f->path, "PRAGMA user_version = 99");
  g_assert_cmpint (g_stat (f->path, &before), ==, 0);

  store = open_store (f->path, &moved_to, &n_recovered, &error);
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_null (moved_to);
  g_assert_true (dtx_store_is_read_only (store));
  g_assert_true (dtx_store_has_fts_for_testing (store));
  g_clear_error (&error);

  /* Reads work. */
  listed = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 10);
  g_assert_cmpuint (listed->len, ==, 5);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list (store, NULL, DTX_STORE_LIST_ALL, "teknologi", 0, 10);
  g_assert_cmpuint (listed->len, ==, 5);

  /* Writes are refused, and touch nothing. */
  g_ptr_array_add (page, numbered_article (60, NULL, NULL));
  save (store, "https://digitripx.id", page, &error);
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (set_bookmarked (store, "https://digitripx.id", article, TRUE, &error));
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_READ_ONLY);
  g_assert_cmpint (dtx_article_get_store_id (article), ==, 0);
  g_clear_error (&error);

  g_clear_object (&store);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles"), ==, 5);
  g_assert_cmpint (g_stat (f->path, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, before.st_size);
  g_assert_cmpint (after.st_mtime, ==, before.st_mtime);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) first = articles_new ();
  g_autoptr(GPtrArray) big = articles_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *body = g_strnfill (30000, 'x');
  g_autoptr(DtxArticle) bookmark = numbered_article (400, NULL, NULL);
  gint64 pages;

  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (first, numbered_article (i, NULL, "<p>Disimpan sebelum penuh</p>"));
  save_ok (store, "https://digitripx.id", first);

  pages = raw_int (f->path, "PRAGMA page_count");
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 2);
  g_assert_true (exec_in_store (store, limit, &error));
  g_assert_no_error (error);

  /* A page that needs far more room than is left. */
  for (guint i = 100; i < 200; i++)
    g_ptr_array_add (big, numbered_article (i, NULL, body));
  save (store, "https://digitripx.id", big, &error);
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "full"));
  g_clear_error (&error);
  for (guint i = 0; i < big->len; i++)
    g_assert_cmpint (dtx_article_get_store_id (g_ptr_array_index (big, i)), ==, 0);

  /* A bookmark that does not fit: refused, not shown as saved. */
  dtx_article_set_content (bookmark, body);
  g_assert_false (set_bookmarked (store, "https://digitripx.id", bookmark, TRUE, &error));
  g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_IO);
  g_assert_false (dtx_article_get_bookmarked (bookmark));
  g_clear_error (&error);

  /* What was stored before is whole. */
  listed = list (store, NULL, DTX_STORE_LIST_ALL, NULL, 0, 100);
  g_assert_cmpuint (listed->len, ==, 20);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = list (store, NULL, DTX_STORE_LIST_ALL, "penuh", 0, 100);
  g_assert_cmpuint (listed->len, ==, 20);
  assert_integrity (f->path);

  /* Room again: the same page goes in. */
  g_assert_true (exec_in_store (store, "PRAGMA max_page_count = 1073741823", &error));
  g_assert_cmpuint (save (store, "https://digitripx.id", big, &error), ==, 100);
  g_assert_no_error (error);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = articles_new ();
  guint n_new = 0;

  g_ptr_array_add (page, numbered_article (1, NULL, NULL));
  g_cancellable_cancel (cancellable);
  dtx_store_save_articles_async (store, "https://digitripx.id", page, cancellable, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_false (dtx_store_save_articles_finish (store, result, &n_new, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM articles"), ==, 0);
}

static void
test_plain_text (void)
{
  static const struct { const char *html; const char *text; } cases[] = {
    { "<p>Halo <b>dunia</b></p>", "Halo dunia " },
    { "a<br>b", "a b" },
    { "x &amp; y &lt;z&gt; &#169; &#x1F680; &nbsp;", "x & y <z> © 🚀  " },
    { "<script>alert(1)</script>teks<STYLE>p{}</STYLE>", "teks " },
    { "&bogus; &#xZZ; &", "&bogus; &#xZZ; &" },
    { "tanpa <tutup", "tanpa " },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dtx_store_plain_text (cases[i].html);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (dtx_store_plain_text (NULL));
}


/* ------------------------------------------------------------------------ */
/* Sources, categories and unread counts (schema v3)                         */

/* The v2 schema as that version wrote it: v1 plus the search index. */
static const char schema_v2_extra[] =
  "ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX articles_unindexed ON articles (id) WHERE indexed = 0;"
  "CREATE VIRTUAL TABLE articles_fts USING fts5 ("
  "  title, excerpt, body, content='', detail=column,"
  "  tokenize='unicode61 remove_diacritics 2');"
  "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');"
  "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0);"
  "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles WHEN old.indexed = 1 BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body)"
  "  VALUES ('delete', old.id, old.title, old.excerpt, dtx_plain_text (old.content));"
  "END;"
  "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, content ON articles"
  "  WHEN old.indexed = 1 AND (old.title IS NOT new.title OR old.excerpt IS NOT new.excerpt"
  "    OR old.content IS NOT new.content) BEGIN"
  "  INSERT INTO articles_fts (articles_fts, rowid, title, excerpt, body)"
  "  VALUES ('delete', old.id, old.title, old.excerpt, dtx_plain_text (old.content));"
  "  UPDATE articles SET indexed = 0 WHERE id = old.id;"
  "END;"
  "INSERT INTO articles (source_url, remote_key, remote_id, link, read, first_stored, date,"
  "  title, categories) VALUES"
  "  ('https://a.example', '1', 1, 'https://a.example/1/', 0, 1, 1000, 'A satu', 'Gadget' || char (31) || 'Ulasan'),"
  "  ('https://a.example', '2', 2, 'https://a.example/2/', 1, 1, 2000, 'A dua', 'Gadget & Gawai'),"
  "  ('https://a.example', '3', 3, 'https://a.example/3/', 0, 1, 3000, 'A tiga', NULL),"
  "  ('https://b.example', '4', 4, 'https://b.example/4/', 0, 1, 4000, 'B empat', 'Ulasan');"
  "PRAGMA user_version = 2;";

static GPtrArray *
list_query (DtxStore            *store,
            const DtxStoreQuery *query)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  dtx_store_list_query_async (store, query, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  articles = dtx_store_list_query_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (articles);
  return articles;
}

/* The titles of a query, newest first, joined with "|". */
static char *
query_titles (DtxStore   *store,
              const char *source_url,
              const char *category,
              const char *search)
{
  g_autoptr(GPtrArray) articles = list_query (store, &(DtxStoreQuery) {
      .source_url = source_url, .category = category, .search = search, .limit = 100 });
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < articles->len; i++)
    g_string_append_printf (titles, "%s%s", i ? "|" : "",
                            dtx_article_get_title (g_ptr_array_index (articles, i)));
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static GHashTable *
count_unread (DtxStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *counts;

  dtx_store_count_unread_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  counts = dtx_store_count_unread_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (counts);
  return counts;
}

static guint
unread_of (GHashTable *counts,
           const char *url)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, url));
}

static void
test_migrate_from_v2 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *titles = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  raw_exec (f->path, schema_v1);
  raw_exec (f->path, schema_v2_extra);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 2);

  store = open_ok (f->path);
  g_assert_cmpint (raw_int (f->path, "PRAGMA user_version"), ==, 3);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM sources"), ==, 0);
  /* The old rows' categories were split into rows: one per (article, name). */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM article_categories"), ==, 4);

  titles = query_titles (store, NULL, "Ulasan", NULL);
  g_assert_cmpstr (titles, ==, "B empat|A satu");
  g_free (titles);
  /* Exact: "Gadget" is not "Gadget & Gawai". */
  titles = query_titles (store, NULL, "Gadget", NULL);
  g_assert_cmpstr (titles, ==, "A satu");
  g_free (titles);
  titles = query_titles (store, "https://a.example", "Ulasan", NULL);
  g_assert_cmpstr (titles, ==, "A satu");

  counts = count_unread (store);
  /* The v1 rows of schema_v1 (digitripx.id), plus these. */
  g_assert_cmpuint (unread_of (counts, "https://a.example"), ==, 2);
  g_assert_cmpuint (unread_of (counts, "https://b.example"), ==, 1);
  g_assert_cmpuint (unread_of (counts, "https://digitripx.id"), ==, 1);
  assert_integrity (f->path);
}

static DtxArticle *
categorised_article (const char         *source,
                     guint               n,
                     const char         *title,
                     const char * const *categories)
{
  g_autofree char *link = g_strdup_printf ("%s/post-%u/", source, n);
  DtxArticle *article = new_article (n, link, title, "Ringkasan.", "<p>Isi berita teknologi.</p>",
                                     1700000000 + n * 60);

  dtx_article_set_categories (article, categories);
  return article;
}

static void
test_category_filter (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const gadget[] = { "Gadget", NULL };
  const char * const both[] = { "Gadget", "Review", NULL };
  const char * const long_name[] = { "Gadget & Gawai", NULL };
  const char * const review[] = { "Review", NULL };
  g_autofree char *titles = NULL;

  g_ptr_array_add (a, categorised_article ("https://a.example", 1, "Ponsel baru", gadget));
  g_ptr_array_add (a, categorised_article ("https://a.example", 2, "Ulasan ponsel", both));
  g_ptr_array_add (a, categorised_article ("https://a.example", 3, "Laptop murah", long_name));
  g_ptr_array_add (a, categorised_article ("https://a.example", 4, "Tanpa kategori", NULL));
  g_ptr_array_add (b, categorised_article ("https://b.example", 5, "Ulasan kamera", review));
  g_assert_cmpuint (save_ok (store, "https://a.example", a), ==, 4);
  g_assert_cmpuint (save_ok (store, "https://b.example", b), ==, 1);

  titles = query_titles (store, NULL, "Gadget", NULL);
  g_assert_cmpstr (titles, ==, "Ulasan ponsel|Ponsel baru");
  g_clear_pointer (&titles, g_free);
  titles = query_titles (store, NULL, "Review", NULL);
  g_assert_cmpstr (titles, ==, "Ulasan kamera|Ulasan ponsel");
  g_clear_pointer (&titles, g_free);
  titles = query_titles (store, "https://a.example", "Review", NULL);
  g_assert_cmpstr (titles, ==, "Ulasan ponsel");
  g_clear_pointer (&titles, g_free);
  titles = query_titles (store, NULL, "Gadget & Gawai", NULL);
  g_assert_cmpstr (titles, ==, "Laptop murah");
  g_clear_pointer (&titles, g_free);
  /* Neither a prefix nor a case-folded match. */
  titles = query_titles (store, NULL, "gadget", NULL);
  g_assert_cmpstr (titles, ==, "");
  g_clear_pointer (&titles, g_free);
  /* With a search: both filters hold. */
  titles = query_titles (store, NULL, "Review", "ponsel");
  g_assert_cmpstr (titles, ==, "Ulasan ponsel");
  g_clear_pointer (&titles, g_free);

  /* The site moved an article to another category: the filter follows. */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (again, categorised_article ("https://a.example", 1, "Ponsel baru", review));
    g_assert_cmpuint (save_ok (store, "https://a.example", again), ==, 0);
  }
  titles = query_titles (store, NULL, "Gadget", NULL);
  g_assert_cmpstr (titles, ==, "Ulasan ponsel");
  g_clear_pointer (&titles, g_free);
  titles = query_titles (store, "https://a.example", "Review", NULL);
  g_assert_cmpstr (titles, ==, "Ulasan ponsel|Ponsel baru");
  g_clear_pointer (&titles, g_free);

  /* One row per (article, name): the moved one left none behind. */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM article_categories"), ==, 5);
}

static DtxStoreSource *
make_source (const char *url,
             int         kind)
{
  DtxStoreSource *source = dtx_store_source_new (url);

  source->kind = kind;
  return source;
}

static gboolean
add_source (DtxStore             *store,
            const DtxStoreSource *source,
            GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_store_add_source_async (store, source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_store_add_source_finish (store, result, error);
}

static GPtrArray *
list_sources (DtxStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *sources;

  dtx_store_list_sources_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  sources = dtx_store_list_sources_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sources);
  return sources;
}

static char *
source_urls (DtxStore *store)
{
  g_autoptr(GPtrArray) sources = list_sources (store);
  g_autoptr(GString) urls = g_string_new (NULL);

  for (guint i = 0; i < sources->len; i++)
    g_string_append_printf (urls, "%s%s", i ? " " : "",
                            ((DtxStoreSource *)g_ptr_array_index (sources, i))->url);
  return g_string_free (g_steal_pointer (&urls), FALSE);
}

static void
remove_source (DtxStore   *store,
               const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_remove_source_async (store, url, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_remove_source_finish (store, result, &error));
  g_assert_no_error (error);
}

static void
test_sources_crud (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GError) error = NULL;
  g_autofree char *urls = NULL;

  urls = source_urls (store);
  g_assert_cmpstr (urls, ==, "");
  g_clear_pointer (&urls, g_free);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strdup_printf ("https://site%u.example", i);
      g_autoptr(DtxStoreSource) source = make_source (url, 1 + i % 2);

      source->position = 42; /* ignored: new sources go last */
      g_assert_true (add_source (store, source, &error));
      g_assert_no_error (error);
    }
  urls = source_urls (store);
  g_assert_cmpstr (urls, ==, "https://site0.example https://site1.example https://site2.example");
  g_clear_pointer (&urls, g_free);

  /* The same url twice: refused, nothing changes. */
  {
    g_autoptr(DtxStoreSource) twice = make_source ("https://site1.example", 2);

    g_assert_false (add_source (store, twice, &error));
    g_assert_error (error, DTX_STORE_ERROR, DTX_STORE_ERROR_EXISTS);
    g_clear_error (&error);
  }

  /* Every column is kept. */
  {
    g_autoptr(DtxStoreSource) update = make_source ("https://site1.example", 1);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) sources = NULL;
    DtxStoreSource *got;

    update->api_root = g_strdup ("https://site1.example/wp-json/");
    update->custom_title = g_strdup ("Situs “Satu”");
    update->site_title = g_strdup ("Site One");
    update->icon_url = g_strdup ("https://site1.example/icon.png");
    update->etag = g_strdup ("\"v1\"");
    update->last_modified = g_strdup ("Wed, 25 Nov 2026 10:00:00 GMT");
    update->retry_after = 1800000000000000;
    update->last_error = g_strdup ("The site did not answer.");
    update->last_refresh = 1790000000000000;
    update->categories = g_strdup ("[{\"name\":\"Gadget & Gawai\"}]");
    update->position = 0; /* ignored: reorder moves sources */
    dtx_store_update_source_async (store, update, NULL, dtx_test_store_result, &result);
    dtx_test_wait_result (&result);
    g_assert_true (dtx_store_update_source_finish (store, result, &error));
    g_assert_no_error (error);

    g_clear_object (&store);
    store = open_ok (f->path);
    sources = list_sources (store);
    g_assert_cmpuint (sources->len, ==, 3);
    got = g_ptr_array_index (sources, 1);
    g_assert_cmpstr (got->url, ==, "https://site1.example");
    g_assert_cmpint (got->kind, ==, 1);
    g_assert_cmpint (got->position, ==, 1);
    g_assert_cmpstr (got->api_root, ==, update->api_root);
    g_assert_cmpstr (got->custom_title, ==, update->custom_title);
    g_assert_cmpstr (got->site_title, ==, update->site_title);
    g_assert_cmpstr (got->icon_url, ==, update->icon_url);
    g_assert_cmpstr (got->etag, ==, update->etag);
    g_assert_cmpstr (got->last_modified, ==, update->last_modified);
    g_assert_cmpint (got->retry_after, ==, update->retry_after);
    g_assert_cmpstr (got->last_error, ==, update->last_error);
    g_assert_cmpint (got->last_refresh, ==, update->last_refresh);
    g_assert_cmpstr (got->categories, ==, update->categories);
    got = g_ptr_array_index (sources, 0);
    g_assert_null (got->etag);
    g_assert_cmpint (got->retry_after, ==, 0);
  }

  /* Reorder: the named ones first, the rest after in their order. */
  {
    const char * const order[] = { "https://site2.example", "https://site0.example", NULL };
    g_autoptr(GAsyncResult) result = NULL;

    dtx_store_reorder_sources_async (store, order, NULL, dtx_test_store_result, &result);
    dtx_test_wait_result (&result);
    g_assert_true (dtx_store_reorder_sources_finish (store, result, &error));
    g_assert_no_error (error);
  }
  urls = source_urls (store);
  g_assert_cmpstr (urls, ==, "https://site2.example https://site0.example https://site1.example");
  g_clear_pointer (&urls, g_free);

  remove_source (store, "https://site0.example");
  /* A source added after a removal still goes last. */
  {
    g_autoptr(DtxStoreSource) late = make_source ("https://site3.example", 2);

    g_assert_true (add_source (store, late, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&store);
  store = open_ok (f->path);
  urls = source_urls (store);
  g_assert_cmpstr (urls, ==, "https://site2.example https://site1.example https://site3.example");
}

static void
test_remove_source_keeps_bookmarks (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  const char * const gadget[] = { "Gadget", NULL };
  Signals signals = { 0 };

  for (guint i = 1; i <= 3; i++)
    g_ptr_array_add (a, categorised_article ("https://a.example", i, "Artikel A", gadget));
  for (guint i = 4; i <= 5; i++)
    g_ptr_array_add (b, categorised_article ("https://b.example", i, "Artikel B", gadget));
  save_ok (store, "https://a.example", a);
  save_ok (store, "https://b.example", b);
  {
    g_autoptr(DtxStoreSource) sa = make_source ("https://a.example", 2);
    g_autoptr(DtxStoreSource) sb = make_source ("https://b.example", 2);

    g_assert_true (add_source (store, sa, &error));
    g_assert_true (add_source (store, sb, &error));
    g_assert_no_error (error);
  }
  g_assert_true (set_bookmarked (store, "https://a.example", g_ptr_array_index (a, 1), TRUE, &error));
  g_assert_no_error (error);

  watch (store, &signals);
  remove_source (store, "https://a.example");
  g_assert_cmpint (signals.articles_changed, ==, 1);
  g_assert_cmpstr (signals.last_source, ==, "https://a.example");
  g_free (signals.last_source);
  g_signal_handlers_disconnect_by_data (store, &signals);

  left = list (store, "https://a.example", DTX_STORE_LIST_ALL, NULL, 0, 10);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_true (dtx_article_get_bookmarked (g_ptr_array_index (left, 0)));
  g_assert_cmpstr (dtx_article_get_link (g_ptr_array_index (left, 0)), ==, "https://a.example/post-2/");
  g_clear_pointer (&left, g_ptr_array_unref);
  left = list (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 10);
  g_assert_cmpuint (left->len, ==, 1);
  g_clear_pointer (&left, g_ptr_array_unref);
  left = list (store, "https://b.example", DTX_STORE_LIST_ALL, NULL, 0, 10);
  g_assert_cmpuint (left->len, ==, 2);

  {
    g_autofree char *urls = source_urls (store);

    g_assert_cmpstr (urls, ==, "https://b.example");
  }
  /* No category rows of deleted articles remain. */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM article_categories"), ==, 3);
  counts = count_unread (store);
  g_assert_cmpuint (unread_of (counts, "https://a.example"), ==, 1);
  g_assert_cmpuint (unread_of (counts, "https://b.example"), ==, 2);
}

static void
test_unread_counts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GHashTable) counts = NULL;
  const char * const none[] = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  counts = count_unread (store);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);
  g_clear_pointer (&counts, g_hash_table_unref);

  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *url = g_strdup_printf ("https://s%u.example", s);
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < 5 + s; i++)
        g_ptr_array_add (page, categorised_article (url, 10 * s + i, "Judul", none));
      save_ok (store, url, page);
      if (s == 1)
        {
          set_read (store, url, g_ptr_array_index (page, 0), TRUE);
          set_read (store, url, g_ptr_array_index (page, 3), TRUE);
        }
    }
  counts = count_unread (store);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 3);
  g_assert_cmpuint (unread_of (counts, "https://s0.example"), ==, 5);
  g_assert_cmpuint (unread_of (counts, "https://s1.example"), ==, 4);
  g_assert_cmpuint (unread_of (counts, "https://s2.example"), ==, 7);
  g_clear_pointer (&counts, g_hash_table_unref);

  dtx_store_mark_all_read_async (store, "https://s2.example", NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_mark_all_read_finish (store, result, &error));
  counts = count_unread (store);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 2);
  g_assert_false (g_hash_table_contains (counts, "https://s2.example"));
  g_assert_cmpuint (unread_of (counts, "https://s1.example"), ==, 4);
}


static void
on_list_loaded (DtxArticleList *list,
                guint          *count)
{
  (*count)++;
}

static char *
list_titles (GListModel *model)
{
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(DtxArticle) article = g_list_model_get_item (model, i);

      g_string_append_printf (titles, "%s%s", i ? "|" : "", dtx_article_get_title (article));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static void
wait_loaded (guint *loaded,
             guint  at_least)
{
  while (*loaded < at_least)
    g_main_context_iteration (NULL, TRUE);
}

/* The list model behind "All Articles" and a category under a source. */
static void
test_article_list_category (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) a = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) b = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DtxArticleList) list = NULL;
  const char * const gadget[] = { "Gadget", NULL };
  const char * const review[] = { "Review", NULL };
  g_autofree char *titles = NULL;
  guint loaded = 0;

  g_ptr_array_add (a, categorised_article ("https://a.example", 1, "A gadget", gadget));
  g_ptr_array_add (a, categorised_article ("https://a.example", 2, "A review", review));
  g_ptr_array_add (b, categorised_article ("https://b.example", 3, "B review", review));
  save_ok (store, "https://a.example", a);
  save_ok (store, "https://b.example", b);

  list = dtx_article_list_new (store, NULL, DTX_STORE_LIST_ALL);
  g_signal_connect (list, "loaded", G_CALLBACK (on_list_loaded), &loaded);
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 1);
  titles = list_titles (G_LIST_MODEL (list));
  g_assert_cmpstr (titles, ==, "B review|A review|A gadget");
  g_clear_pointer (&titles, g_free);

  dtx_article_list_set_category (list, "Review");
  g_assert_cmpstr (dtx_article_list_get_category (list), ==, "Review");
  wait_loaded (&loaded, 2);
  titles = list_titles (G_LIST_MODEL (list));
  g_assert_cmpstr (titles, ==, "B review|A review");
  g_clear_pointer (&titles, g_free);
  g_assert_true (dtx_article_list_get_exhausted (list));

  /* New articles of the category reach the list. */
  {
    g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);

    g_ptr_array_add (more, categorised_article ("https://a.example", 4, "A new review", review));
    g_ptr_array_add (more, categorised_article ("https://a.example", 5, "A new gadget", gadget));
    save_ok (store, "https://a.example", more);
  }
  wait_loaded (&loaded, 3);
  titles = list_titles (G_LIST_MODEL (list));
  g_assert_cmpstr (titles, ==, "A new review|B review|A review");
  g_clear_pointer (&titles, g_free);

  dtx_article_list_set_category (list, "");
  g_assert_null (dtx_article_list_get_category (list));
  wait_loaded (&loaded, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *count)
{
  (*count)++;
}

/* A page the refresh hands to the store shows at once, as the objects being
 * saved; the reload after the save keeps them. */
static void
test_article_list_arrived (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DtxArticleList) list = NULL;
  g_autoptr(DtxArticleList) bookmarks = NULL;
  g_autoptr(DtxArticleList) unread = NULL;
  g_autoptr(DtxArticleList) other = NULL;
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxSource) source_b = dtx_source_new (fetcher, "https://b.example");
  const char * const none[] = { NULL };
  g_autofree char *titles = NULL;
  DtxArticle *newest, *undated;
  guint loaded = 0, changes = 0;

  g_ptr_array_add (stored, categorised_article ("https://a.example", 1, "A1", none));
  g_ptr_array_add (stored, categorised_article ("https://a.example", 2, "A2", none));
  save_ok (store, "https://a.example", stored);

  list = dtx_article_list_new (store, NULL, DTX_STORE_LIST_ALL);
  g_signal_connect (list, "loaded", G_CALLBACK (on_list_loaded), &loaded);
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 1);
  bookmarks = dtx_article_list_new (store, NULL, DTX_STORE_LIST_BOOKMARKS);
  unread = dtx_article_list_new (store, NULL, DTX_STORE_LIST_UNREAD);
  other = dtx_article_list_new (store, source_b, DTX_STORE_LIST_ALL);

  /* a's next page: one newer than all, one already listed (by its link),
   * one without a date. */
  newest = categorised_article ("https://a.example", 3, "A3", none);
  g_ptr_array_add (page, newest);
  g_ptr_array_add (page, categorised_article ("https://a.example", 2, "A2 again", none));
  undated = categorised_article ("https://a.example", 9, "A undated", none);
  dtx_article_set_date (undated, NULL);
  g_ptr_array_add (page, undated);

  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
  dtx_article_list_show_arrived (list, "https://a.example", page);
  dtx_article_list_show_arrived (bookmarks, "https://a.example", page);
  dtx_article_list_show_arrived (unread, "https://a.example", page);
  dtx_article_list_show_arrived (other, "https://a.example", page);
  /* At once, in one step, in the store's order. */
  g_assert_cmpuint (changes, ==, 1);
  titles = list_titles (G_LIST_MODEL (list));
  g_assert_cmpstr (titles, ==, "A3|A2|A1|A undated");
  g_clear_pointer (&titles, g_free);
  /* Only the store knows bookmarks and read state; b's list is not a's. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (unread)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 0);
  g_assert_cmpint (dtx_article_get_store_id (newest), ==, 0);

  /* Saved: the reload finds the same objects where they are. */
  save_ok (store, "https://a.example", page);
  wait_loaded (&loaded, 2);
  g_assert_cmpint (dtx_article_get_store_id (newest), !=, 0);
  titles = list_titles (G_LIST_MODEL (list));
  g_assert_cmpstr (titles, ==, "A3|A2 again|A1|A undated");
  {
    g_autoptr(DtxArticle) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(DtxArticle) last = g_list_model_get_item (G_LIST_MODEL (list), 3);

    g_assert_true (first == newest);
    g_assert_true (last == undated);
  }
}

/* A page that fills an empty list shows a screenful first; the reload
 * after its save keeps those rows and holds the rest back still, so the
 * first frame lays out a screenful. */
static void
test_article_list_arrived_screenful (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DtxArticleList) list = NULL;
  const char * const none[] = { NULL };
  guint loaded = 0, changes = 0;

  list = dtx_article_list_new (store, NULL, DTX_STORE_LIST_ALL);
  /* Longer than any save here: the rest waits for load_more() below. */
  dtx_article_list_set_rest_delay_for_testing (list, 60 * 1000);
  g_signal_connect (list, "loaded", G_CALLBACK (on_list_loaded), &loaded);
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Oldest first, as some feeds are: the newest 50 are shown. */
  for (guint n = 1; n <= 60; n++)
    g_ptr_array_add (page, categorised_article ("https://a.example", n, "Arrived", none));
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
  dtx_article_list_show_arrived (list, "https://a.example", page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  g_assert_cmpuint (changes, ==, 1);

  save_ok (store, "https://a.example", page);
  wait_loaded (&loaded, 2);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  {
    g_autoptr(DtxArticle) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (first == g_ptr_array_index (page, 59));
  }

  /* Scrolling on shows the rest, the saved rows, a screenful at once. */
  dtx_article_list_load_more (list);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 20);
  for (guint n = 30; n <= 50; n += 10)
    {
      dtx_article_list_load_more (list);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
    }
  g_assert_cmpuint (changes, ==, 5);
  g_assert_false (dtx_article_list_get_loading (list));
  {
    g_autoptr(DtxArticle) last = g_list_model_get_item (G_LIST_MODEL (list), 49);

    g_assert_true (last == g_ptr_array_index (page, 10));
    g_assert_cmpint (dtx_article_get_store_id (last), !=, 0);
  }
}

/* Past the last listed row are stored articles the list has not read:
 * an arrival older than it waits for the store, a newer one shows. */
static void
test_article_list_arrived_cutoff (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DtxArticleList) list = NULL;
  const char * const none[] = { NULL };
  g_autofree char *titles = NULL;
  guint loaded = 0;

  for (guint n = 100; n < 160; n++)
    g_ptr_array_add (stored, categorised_article ("https://a.example", n, "Stored", none));
  save_ok (store, "https://a.example", stored);
  list = dtx_article_list_new (store, NULL, DTX_STORE_LIST_ALL);
  g_signal_connect (list, "loaded", G_CALLBACK (on_list_loaded), &loaded);
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 1);
  /* (A screenful first, the rest a moment later.) */
  while (g_list_model_get_n_items (G_LIST_MODEL (list)) < 50)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (dtx_article_list_get_exhausted (list));

  g_ptr_array_add (page, categorised_article ("https://b.example", 1, "Old", none));
  g_ptr_array_add (page, categorised_article ("https://b.example", 200, "New", none));
  dtx_article_list_show_arrived (list, "https://b.example", page);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 51);
  {
    g_autoptr(DtxArticle) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (dtx_article_get_title (first), ==, "New");
  }

  /* Never saved (say the store refused it): the next reload drops it, and
   * the list pages on. */
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 2);
  {
    g_autoptr(DtxArticle) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpstr (dtx_article_get_title (first), ==, "Stored");
  }
  dtx_article_list_load_more (list);
  g_assert_true (dtx_article_list_get_loading (list));
  wait_loaded (&loaded, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 60);
}

/* A page read from the store grows the list a screenful at a time: a list
 * view makes a row for every item it is told of near those in sight. */
static void
test_article_list_page_screenful (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(DtxStore) store = open_ok (f->path);
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DtxArticleList) list = NULL;
  const char * const none[] = { NULL };
  guint loaded = 0, changes = 0;

  for (guint n = 1; n <= 75; n++)
    g_ptr_array_add (stored, categorised_article ("https://a.example", n, "Stored", none));
  save_ok (store, "https://a.example", stored);
  list = dtx_article_list_new (store, NULL, DTX_STORE_LIST_ALL);
  dtx_article_list_set_rest_delay_for_testing (list, 60 * 1000);
  g_signal_connect (list, "loaded", G_CALLBACK (on_list_loaded), &loaded);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &changes);
  dtx_article_list_reload (list);
  wait_loaded (&loaded, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);

  /* The first page's rest, a screenful each time the user scrolls on. */
  for (guint n = 20; n <= 50; n += 10)
    {
      dtx_article_list_load_more (list);
      g_assert_false (dtx_article_list_get_loading (list));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
    }
  g_assert_cmpuint (changes, ==, 5);

  /* The next page is read, and shown the same way. */
  dtx_article_list_load_more (list);
  g_assert_true (dtx_article_list_get_loading (list));
  wait_loaded (&loaded, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 60);
  dtx_article_list_load_more (list);
  dtx_article_list_load_more (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 75);
  g_assert_cmpuint (changes, ==, 8);
  {
    g_autoptr(DtxArticle) last = g_list_model_get_item (G_LIST_MODEL (list), 74);

    g_assert_cmpstr (dtx_article_get_link (last), ==, "https://a.example/post-1/");
  }
}

int
main (int   argc,
      char *argv[])
{
  self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (argc == 3 && g_strcmp0 (argv[1], "--child-bookmark") == 0)
    return child_bookmark (argv[2]);
  if (argc == 4 && g_strcmp0 (argv[1], "--child-writer") == 0)
    {
      int rc = child_writer (argv[2], atoi (argv[3]));

      g_free ((char *)self_exe);
      return rc;
    }

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("migrate/empty", test_migrate_empty);
  ADD ("migrate/from-v1", test_migrate_from_v1);
  ADD ("migrate/from-v2", test_migrate_from_v2);
  ADD ("sources/crud", test_sources_crud);
  ADD ("sources/remove-keeps-bookmarks", test_remove_source_keeps_bookmarks);
  ADD ("list/category", test_category_filter);
  ADD ("unread-counts", test_unread_counts);
  ADD ("article-list/category", test_article_list_category);
  ADD ("article-list/arrived", test_article_list_arrived);
  ADD ("article-list/arrived-cutoff", test_article_list_arrived_cutoff);
  ADD ("article-list/arrived-screenful", test_article_list_arrived_screenful);
  ADD ("article-list/page-screenful", test_article_list_page_screenful);
  ADD ("save/by-remote-id", test_save_by_remote_id);
  ADD ("save/by-link", test_save_by_link);
  ADD ("load-content", test_load_content);
  ADD ("find-url", test_find_url);
  ADD ("bookmark/unstored", test_bookmark_unstored);
  ADD ("bookmark/order", test_bookmarks_order);
  ADD ("read-state", test_read_state);
  ADD ("trim/keeps-bookmarks", test_trim_keeps_bookmarks);
  ADD ("search/indonesian", test_search_indonesian);
  ADD ("search/hostile", test_search_hostile);
  ADD ("search/rank", test_search_rank);
  ADD ("search/without-fts", test_search_without_fts);
  ADD ("search/indexed-when-idle", test_search_indexed_when_idle);
  ADD ("list/paging", test_paging);
  ADD ("bookmarks/export-import", test_export_import_round_trip);
  ADD ("bookmarks/import-bad-files", test_import_bad_files);
  ADD ("reliability/crash-keeps-bookmark", test_crash_keeps_bookmark);
  ADD ("reliability/two-processes", test_two_processes);
  ADD ("reliability/garbage", test_corrupt_garbage);
  ADD ("reliability/truncated", test_corrupt_truncated);
  ADD ("reliability/damaged-index", test_corrupt_index_page);
  ADD ("reliability/unclean-end-checks", test_unclean_end_checks);
  ADD ("reliability/close", test_close);
  ADD ("reliability/directory", test_corrupt_directory);
  ADD ("reliability/read-only-file", test_read_only_file);
  ADD ("reliability/newer-schema", test_newer_schema);
  ADD ("reliability/disk-full", test_disk_full);
  ADD ("cancelled", test_cancelled);
  g_test_add_func ("/store/plain-text", test_plain_text);

  {
    int rc = g_test_run ();

    g_free ((char *)self_exe);
    return rc;
  }
}
