/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application as a user runs it: command line options, a second
 * `digitripx-reader URL` handing the article to the running instance, and
 * keyboard shortcuts typed into the real window (xdotool, under Xvfb). */
#define G_LOG_DOMAIN "test-application"
#include "config.h"

#include "dtx-application.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"
#include "dtx-window-private.h"

#include <json-glib/json-glib.h>
#include <signal.h>

#define SECOND_TITLE "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh"

static const char *
app_binary (void)
{
  const char *path = g_getenv ("DTX_APP_BINARY");

  g_assert_nonnull (path);
  return path;
}

typedef struct {
  gboolean  done;
  char     *out;
  GError   *error;
} RunData;

static void
on_communicated (GObject *object, GAsyncResult *result, gpointer user_data)
{
  RunData *data = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &data->out, NULL, &data->error);
  data->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((RunData *)data)->done;
}

/* Runs argv to its end while this process keeps serving its main loop: the
 * program may be a second instance talking to us over D-Bus. */
static char *
run (const char * const *argv, int *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                            G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  RunData data = { FALSE, NULL, NULL };

  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &data);
  g_assert_true (dtx_test_wait_until (run_done, &data, argv[0]));
  g_assert_no_error (data.error);
  *status = g_subprocess_get_exit_status (process);
  return data.out;
}

/* Runs the app with a data folder of its own, to its end. */
static char *
run_with_data (const char *data_home, const char * const *argv, int *status)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  RunData data = { FALSE, NULL, NULL };

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &data);
  g_assert_true (dtx_test_wait_until (run_done, &data, argv[1]));
  g_assert_no_error (data.error);
  *status = g_subprocess_get_exit_status (process);
  return data.out;
}

static DtxStore *
open_store (const char *data_home)
{
  g_autofree char *path = g_build_filename (data_home, PACKAGE_NAME, "store.db", NULL);
  DtxStore *store = dtx_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_open_async (store, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  dtx_store_open_finish (store, result, NULL, NULL, &error);
  g_assert_no_error (error);
  return store;
}

static GPtrArray *
list_bookmarks (DtxStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  dtx_store_list_async (store, NULL, DTX_STORE_LIST_BOOKMARKS, NULL, 0, 100, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  rows = dtx_store_list_finish (store, result, &error);
  g_assert_no_error (error);
  return rows;
}

static void
bookmark (DtxStore *store, const char *link, const char *title)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  dtx_article_set_link (article, link);
  dtx_article_set_title (article, title);
  dtx_article_set_content (article, "<p>Isi artikel — “kutipan” &amp; 🚀</p>");
  dtx_store_set_bookmarked_async (store, "https://digitripx.id", article, TRUE, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  dtx_store_set_bookmarked_finish (store, result, &error);
  g_assert_no_error (error);
}

/* --export-bookmarks writes the bookmarks and quits without a window, while
 * the store is open elsewhere; --import-bookmarks merges them into another
 * user's store, without duplicates; a foreign file changes nothing. */
static void
test_export_import_bookmarks (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("dtx-export-XXXXXX", NULL);
  g_autofree char *home_a = g_build_filename (tmp, "a", NULL);
  g_autofree char *home_b = g_build_filename (tmp, "b", NULL);
  g_autofree char *file = g_build_filename (tmp, "bookmarks.json", NULL);
  g_autofree char *bad = g_build_filename (tmp, "bad.json", NULL);
  const char *hostile = "<script>alert(1)</script> Ulasan \"Ponsel\" & ‘Lipat’ 🚀 مرحبا";
  g_autoptr(DtxStore) a = open_store (home_a);
  g_autoptr(DtxStore) b = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  JsonArray *array;
  JsonObject *object;
  int status;

  bookmark (a, "https://digitripx.id/ulasan-ponsel/", hostile);
  bookmark (a, "https://digitripx.id/berita-teknologi/", "Berita Teknologi Hari Ini");

  {
    const char *argv[] = { app_binary (), "--export-bookmarks", file, NULL };
    out = run_with_data (home_a, argv, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "2"));
    g_clear_pointer (&out, g_free);
  }
  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      object = json_array_get_object_element (array, i);
      for (const char * const *key = (const char * const[]){ "url", "title", "author", "date", "source",
                                                             "saved", "excerpt", "content", NULL }; *key; key++)
        g_assert_true (json_object_has_member (object, *key));
    }

  /* Twice into a fresh store: the second time adds nothing. */
  for (int round = 0; round < 2; round++)
    {
      const char *argv[] = { app_binary (), "--import-bookmarks", file, NULL };
      out = run_with_data (home_b, argv, &status);
      g_assert_cmpint (status, ==, 0);
      g_clear_pointer (&out, g_free);
    }
  b = open_store (home_b);
  rows = list_bookmarks (b);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (dtx_article_get_link (g_ptr_array_index (rows, i)), "https://digitripx.id/ulasan-ponsel/"))
      g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (rows, i)), ==, hostile);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* A foreign file: a clear message, a failure status, nothing changed. */
  g_assert_true (g_file_set_contents (bad, "{\"feeds\": [1, 2, 3]", -1, NULL));
  {
    const char *argv[] = { app_binary (), "--import-bookmarks", bad, NULL };
    out = run_with_data (home_b, argv, &status);
    g_assert_cmpint (status, !=, 0);
    g_assert_cmpuint (strlen (out), >, 10);
    g_assert_null (strstr (out, "Gtk"));
  }
  rows = list_bookmarks (b);
  g_assert_cmpuint (rows->len, ==, 2);
}

static gboolean
store_marked_open (gpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (data, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "store.db.open-"))
      return TRUE;
  return FALSE;
}

static gboolean
process_done (gpointer data)
{
  return *(gboolean *)data;
}

static void
on_exited (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *)user_data = TRUE;
}

/* A session that ends sends SIGTERM: the app closes its windows and its
 * store, so the next start has no reason for a full check of the file. */
static void
test_sigterm_closes_store (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autofree char *home = g_dir_make_tmp ("dtx-sigterm-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (home, PACKAGE_NAME, NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { app_binary (), "--source", dtx_test_site_get_url (site), NULL };
  gboolean done = FALSE;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_exited, &done);
  g_assert_true (dtx_test_wait_until (store_marked_open, store_dir, "the app to open its store"));

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (dtx_test_wait_until (process_done, &done, "the app to quit on SIGTERM"));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_false (store_marked_open (store_dir));
  g_assert_true (g_file_test (store_dir, G_FILE_TEST_IS_DIR));
}

static void
test_version (void)
{
  const char *argv[] = { app_binary (), "--version", NULL };
  int status;
  g_autofree char *out = run (argv, &status);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, PACKAGE_NAME " " PACKAGE_VERSION "\n");
}

/* A development run (build-aux/dev run sets DTX_LOCALEDIR to the build
 * tree's po/) speaks Indonesian when asked to. */
static void
test_build_tree_translations (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { app_binary (), "--help", NULL };

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "id", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "id_ID.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DTX_LOCALEDIR", g_getenv ("DTX_BUILD_PO_DIR"), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "Tampilkan versi lalu keluar"));
}

typedef struct {
  GApplication *app;
  DtxTestSite  *site;
} Session;

static DtxWindow *
window_of (Session *s)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (s->app));

  return window ? DTX_WINDOW (window) : NULL;
}

static gboolean
list_shown (gpointer data)
{
  DtxWindow *window = window_of (data);

  return window != NULL && g_str_equal (dtx_window_get_list_state (window), "list") &&
         !dtx_window_is_loading (window);
}

static gboolean
second_article_in_reader (gpointer data)
{
  DtxWindow *window = window_of (data);
  DtxReaderView *reader = window ? dtx_test_reader_of (window) : NULL;
  DtxArticle *article = reader ? dtx_reader_view_get_article (reader) : NULL;

  return article != NULL && g_strcmp0 (dtx_article_get_title (article), SECOND_TITLE) == 0 &&
         !dtx_reader_view_is_rendering (reader) &&
         !webkit_web_view_is_loading (dtx_reader_view_get_web_view (reader));
}

static char *
find_window_id (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int)getpid ());
  const char *argv[] = { "xdotool", "search", "--sync", "--onlyvisible", "--pid", pid, NULL };
  int status;
  g_autofree char *out = run (argv, &status);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);

  g_assert_cmpint (status, ==, 0);
  return g_strdup (lines[0]);
}

static void
press (const char *keys)
{
  const char *argv[] = { "xdotool", "key", "--clearmodifiers", keys, NULL };
  g_autofree char *out = NULL;
  int status;

  out = run (argv, &status);
  g_assert_cmpint (status, ==, 0);
}

/* Keys typed while the app is busy (this thread, which runs its main loop,
 * waits for xdotool): they reach the app in one go. */
static void
press_while_busy (const char *keys)
{
  g_autofree char *argv = g_strdup_printf ("xdotool key --clearmodifiers --delay 0 %s", keys);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (argv, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
focus_window (const char *window_id)
{
  const char *focus[] = { "xdotool", "windowfocus", "--sync", window_id, NULL };
  g_autofree char *out = NULL;
  int status;

  out = run (focus, &status);
  g_assert_cmpint (status, ==, 0);
}

static void
type_keys (const char *window_id, const char *keys)
{
  focus_window (window_id);
  press (keys);
}

typedef struct {
  DtxTestSite *site;
  guint        count;
} Requests;

static gboolean
page_one_asked_again (gpointer data)
{
  Requests *r = data;

  return dtx_test_site_count_requests (r->site, "/wp-json/wp/v2/posts") > r->count;
}

static gboolean
zoom_is (gpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  return G_APPROX_VALUE (g_settings_get_double (settings, "zoom-level"), *(double *)data, 0.001);
}

static gboolean
shortcuts_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
shortcuts_hidden (gpointer data)
{
  return !shortcuts_shown (data);
}

static gboolean
one_bookmark (gpointer data)
{
  return g_list_model_get_n_items (dtx_window_get_bookmarks (window_of (data))) == 1;
}

static GtkSearchBar *
search_bar_of (Session *s)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window_of (s)));

  return focus ? GTK_SEARCH_BAR (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_BAR)) : NULL;
}

static GtkSearchBar *last_search_bar;
static GtkWidget *last_search_entry;

static gboolean
search_text_ponsel (gpointer data)
{
  GtkSearchBar *bar = search_bar_of (data);
  GtkWidget *entry;

  if (bar == NULL || !gtk_search_bar_get_search_mode (bar))
    return FALSE;
  entry = gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (window_of (data))), GTK_TYPE_SEARCH_ENTRY);
  last_search_bar = bar;
  last_search_entry = entry;
  return entry != NULL && g_str_equal (gtk_editable_get_text (GTK_EDITABLE (entry)), "ponsel");
}

static gboolean
search_closed (gpointer data)
{
  return !gtk_search_bar_get_search_mode (last_search_bar);
}

static guint search_toggles;

static void
count_toggle (GtkSearchBar *bar, GParamSpec *pspec, gpointer data)
{
  search_toggles++;
}

/* Closed, and slid out of sight. */
static gboolean
search_hidden (gpointer data)
{
  return search_closed (data) && !gtk_widget_get_mapped (last_search_entry);
}

/* Opened and closed again. */
static gboolean
search_toggled_twice (gpointer data)
{
  return search_toggles >= 2 && !gtk_search_bar_get_search_mode (last_search_bar);
}

static void
drive (Session *s)
{
  g_autofree char *url = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (s->site));
  const char *open_argv[] = { app_binary (), url, NULL };
  g_autofree char *window_id = NULL;
  g_autofree char *out = NULL;
  Requests requests = { s->site, 0 };
  double zoom;
  int status;

  /* --source chose the site. */
  g_assert_true (dtx_test_wait_until (list_shown, s, "the list from --source"));
  g_assert_cmpstr (dtx_source_get_url (dtx_window_get_source (window_of (s))), ==, dtx_test_site_get_url (s->site));

  /* A second invocation hands the URL to this instance and exits. */
  out = run (open_argv, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (dtx_test_wait_until (second_article_in_reader, s, "the article handed over by URL"));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (s->app))), ==, 1);

  /* Shortcuts, typed. */
  window_id = find_window_id ();
  requests.count = dtx_test_site_count_requests (s->site, "/wp-json/wp/v2/posts");
  type_keys (window_id, "F5");
  g_assert_true (dtx_test_wait_until (page_one_asked_again, &requests, "F5 to refresh"));
  g_assert_true (dtx_test_wait_until (list_shown, s, "the refreshed list"));

  requests.count = dtx_test_site_count_requests (s->site, "/wp-json/wp/v2/posts");
  type_keys (window_id, "ctrl+r");
  g_assert_true (dtx_test_wait_until (page_one_asked_again, &requests, "Ctrl+R to refresh"));
  /* The keys below go to a window at rest. */
  g_assert_true (dtx_test_wait_until (list_shown, s, "the list refreshed by Ctrl+R"));

  /* Ctrl+D bookmarks the article in the reader. */
  type_keys (window_id, "ctrl+d");
  g_assert_true (dtx_test_wait_until (one_bookmark, s, "Ctrl+D to bookmark the article"));
  /* Ctrl+F opens the search and what is typed straight after goes into it,
   * though the bar is not drawn yet (keys sent to its entry before it was
   * first shown were lost: "abcd" searched for "cd"); Escape closes it. */
  focus_window (window_id);
  press_while_busy ("ctrl+f p o n s e l");
  g_assert_true (dtx_test_wait_until (search_text_ponsel, s, "the letters typed with Ctrl+F"));
  type_keys (window_id, "Escape");
  g_assert_true (dtx_test_wait_until (search_closed, s, "Escape to close the search"));
  /* An Escape typed before the bar is drawn closes it too. */
  g_assert_true (dtx_test_wait_until (search_hidden, s, "the search bar to slide away"));
  g_signal_connect (last_search_bar, "notify::search-mode-enabled", G_CALLBACK (count_toggle), NULL);
  focus_window (window_id);
  press_while_busy ("ctrl+f a b Escape");
  g_assert_true (dtx_test_wait_until (search_toggled_twice, s, "Ctrl+F and Escape typed at once"));
  g_signal_handlers_disconnect_by_func (last_search_bar, count_toggle, NULL);

  zoom = 1.1;
  type_keys (window_id, "ctrl+plus");
  g_assert_true (dtx_test_wait_until (zoom_is, &zoom, "Ctrl+plus to enlarge the text"));
  zoom = 1.0;
  type_keys (window_id, "ctrl+0");
  g_assert_true (dtx_test_wait_until (zoom_is, &zoom, "Ctrl+0 to reset the text size"));

  type_keys (window_id, "ctrl+question");
  g_assert_true (dtx_test_wait_until (shortcuts_shown, NULL, "Ctrl+? to show the shortcuts"));
  press ("Escape"); /* the shortcuts window has the focus */
  g_assert_true (dtx_test_wait_until (shortcuts_hidden, NULL, "Escape to close the shortcuts"));

  /* Ctrl+Q closes the windows, and so the application. */
  type_keys (window_id, "ctrl+q");
}

static gboolean
on_idle (gpointer data)
{
  drive (data);
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app, Session *s)
{
  static gboolean started;

  if (!started)
    {
      started = TRUE;
      g_idle_add (on_idle, s);
    }
}

static void
test_run_open_and_keys (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(GApplication) app = G_APPLICATION (dtx_application_new ());
  const char *argv[] = { "digitripx-reader", "--source", dtx_test_site_get_url (site), NULL };
  Session s = { app, site };
  int status;

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &s);
  status = g_application_run (app, 3, (char **)argv);
  g_assert_cmpint (status, ==, 0);
}

/* Subscriptions (issue 10) */

#include "dtx-opml.h"

static GPtrArray *
list_sources (DtxStore *store)
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

static char *
describe_sources (DtxStore *store)
{
  g_autoptr(GPtrArray) rows = list_sources (store);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      DtxStoreSource *row = g_ptr_array_index (rows, i);
      g_string_append_printf (text, "%s %d\n", row->url, row->kind);
    }
  return g_string_free (text, FALSE);
}

/* --import-opml follows what a file lists (nested outlines too) and says
 * what it added, skipped and could not add, and why; --export-opml writes
 * it back; importing that into another store follows the same sources. */
static void
test_opml_round_trip (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autofree char *home_a = g_dir_make_tmp ("dtx-opml-a-XXXXXX", NULL);
  g_autofree char *home_b = g_dir_make_tmp ("dtx-opml-b-XXXXXX", NULL);
  g_autofree char *in_path = g_build_filename (home_a, "langganan.opml", NULL);
  g_autofree char *out_path = g_build_filename (home_a, "ekspor.opml", NULL);
  g_autofree char *bad_path = g_build_filename (home_a, "bukan.opml", NULL);
  g_autofree char *opml = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sources_a = NULL;
  g_autofree char *sources_b = NULL;
  g_autoptr(DtxStore) a = NULL;
  g_autoptr(DtxStore) b = NULL;
  const char *url = dtx_test_site_get_url (site);
  int status;

  opml = g_strdup_printf ("<?xml version=\"1.0\"?>\n<opml version=\"2.0\"><head><title>Langganan</title></head><body>\n"
                          "<outline text=\"Tekno &amp; “Gadget”\" xmlUrl=\"%s\" type=\"rss\"/>\n"
                          "<outline text=\"Folder\"><outline text=\"Lagi\" xmlUrl=\"%s\"/>\n"
                          "  <outline text=\"Umpan\" xmlUrl=\"%s/feed/\" htmlUrl=\"%s\"/></outline>\n"
                          "<outline text=\"Mati\" xmlUrl=\"http://127.0.0.1:1/feed.xml\"/>\n"
                          "</body></opml>\n", url, url, url, url);
  g_assert_true (g_file_set_contents (in_path, opml, -1, NULL));
  g_assert_true (g_file_set_contents (bad_path, "<html><body>not a list</body></html>", -1, NULL));

  {
    const char *argv[] = { app_binary (), "--import-opml", in_path, NULL };
    out = run_with_data (home_a, argv, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "Added 1 source."));
    g_assert_nonnull (strstr (out, "2 were skipped as duplicates."));
    g_assert_nonnull (strstr (out, "1 could not be added."));
    g_assert_nonnull (strstr (out, "http://127.0.0.1:1/feed.xml: "));
    g_clear_pointer (&out, g_free);
  }
  {
    /* Not OPML: said, and nothing changes. */
    const char *argv[] = { app_binary (), "--import-opml", bad_path, NULL };
    out = run_with_data (home_a, argv, &status);
    g_assert_cmpint (status, !=, 0);
    g_assert_nonnull (strstr (out, "not a list of subscriptions"));
    g_clear_pointer (&out, g_free);
  }
  {
    const char *argv[] = { app_binary (), "--export-opml", out_path, NULL };
    out = run_with_data (home_a, argv, &status);
    g_assert_cmpint (status, ==, 0);
    /* DigiTripX.id (the first start's) and the imported site. */
    g_assert_nonnull (strstr (out, "Exported 2 sources"));
    g_clear_pointer (&out, g_free);
  }
  {
    g_autofree char *written = NULL;
    gsize length = 0;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GPtrArray) outlines = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_get_contents (out_path, &written, &length, NULL));
    bytes = g_bytes_new (written, length);
    outlines = dtx_opml_parse (bytes, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (outlines->len, ==, 2);
  }
  {
    const char *argv[] = { app_binary (), "--import-opml", out_path, NULL };
    out = run_with_data (home_b, argv, &status);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "Added 1 source."));
    g_assert_nonnull (strstr (out, "1 was skipped as a duplicate."));
    g_assert_null (strstr (out, "could not"));
  }

  a = open_store (home_a);
  b = open_store (home_b);
  sources_a = describe_sources (a);
  sources_b = describe_sources (b);
  g_assert_cmpstr (sources_a, ==, sources_b);
  g_assert_nonnull (strstr (sources_a, url));
  g_assert_nonnull (strstr (sources_a, "https://digitripx.id"));
}

/* A fake notification server (org.freedesktop.Notifications) in this
 * process: GApplication's notifications reach it over the session bus as
 * they would reach a desktop's. */
typedef struct {
  guint      n_notified;
  char      *summary;
  char      *body;
  gboolean   has_default;
  guint32    last_id;
} Notifications;

static Notifications notified;

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='GetServerInformation'><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "<arg type='s' direction='out'/><arg type='s' direction='out'/></method>"
  "<signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "<signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "</interface></node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               data)
{
  if (g_str_equal (method, "Notify"))
    {
      g_autofree const char **actions = NULL;
      const char *summary, *body;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body, &actions, NULL, NULL);
      notified.n_notified++;
      g_free (notified.summary);
      notified.summary = g_strdup (summary);
      g_free (notified.body);
      notified.body = g_strdup (body);
      notified.has_default = actions != NULL && g_strv_contains (actions, "default");
      notified.last_id = notified.n_notified;
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified.last_id));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "actions", "body", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "dtx-test", "test", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean name_owned;

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer data)
{
  name_owned = TRUE;
}

static gboolean
is_owned (gpointer data)
{
  return name_owned;
}

static guint
serve_notifications (GDBusConnection *bus)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;
  guint id;

  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  id = g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                     on_name_acquired, NULL, NULL, NULL);
  g_assert_true (dtx_test_wait_until (is_owned, NULL, "the notification server's name"));
  return id;
}

static gboolean
one_more_notification (gpointer data)
{
  return notified.n_notified > GPOINTER_TO_UINT (data);
}

typedef struct {
  Session   s;
  gboolean  background_step_ran;
  gboolean  done;
} Background;

static gboolean
no_window (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (((Session *)data)->app)) == NULL;
}

static gboolean
window_on_site (gpointer data)
{
  Session *s = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (s->app));
  DtxSource *source = windows ? dtx_window_get_source (DTX_WINDOW (windows->data)) : NULL;

  return source != NULL && g_str_equal (dtx_source_get_url (source), dtx_test_site_get_url (s->site));
}

static gboolean
background_step (gpointer data)
{
  Background *bg = data;
  Session *s = &bg->s;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GDBusConnection *bus = g_application_get_dbus_connection (s->app);
  guint before = notified.n_notified;

  /* The window closed a while ago, and the app still runs. */
  bg->background_step_ran = TRUE;
  g_assert_true (no_window (s));

  /* A refresh brings a new post: one notification says so. */
  dtx_test_site_add_post (s->site);
  g_action_group_activate_action (G_ACTION_GROUP (s->app), "refresh-source",
                                  g_variant_new_string (dtx_test_site_get_url (s->site)));
  g_assert_true (dtx_test_wait_until (one_more_notification, GUINT_TO_POINTER (before), "the notification"));
  g_assert_nonnull (strstr (notified.summary, "1 new article from "));
  g_assert_cmpstr (notified.body, ==, "Berita Baru Nomor 1");
  g_assert_true (notified.has_default);

  /* Its default action opens a window on that source. */
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                 "ActionInvoked", g_variant_new ("(us)", notified.last_id, "default"), NULL);
  g_assert_true (dtx_test_wait_until (window_on_site, s, "the window on the new articles"));
  g_assert_true (dtx_test_wait_until (list_shown, s, "its list"));

  /* Turned off: nothing is sent. */
  g_settings_set_boolean (settings, "notify-new-articles", FALSE);
  gtk_window_close (GTK_WINDOW (window_of (s) ? window_of (s) : gtk_application_get_windows (GTK_APPLICATION (s->app))->data));
  g_assert_true (dtx_test_wait_until (no_window, s, "the window to close"));
  before = notified.n_notified;
  dtx_test_site_add_post (s->site);
  g_action_group_activate_action (G_ACTION_GROUP (s->app), "refresh-source",
                                  g_variant_new_string (dtx_test_site_get_url (s->site)));
  dtx_test_spin (1500);
  g_assert_cmpuint (notified.n_notified, ==, before);
  g_settings_reset (settings, "notify-new-articles");

  /* Off again: with no window the app ends. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  bg->done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
close_for_background (gpointer data)
{
  Background *bg = data;
  Session *s = &bg->s;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_assert_true (dtx_test_wait_until (list_shown, s, "the list from --source"));
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  gtk_window_close (GTK_WINDOW (window_of (s)));
  /* Back to the application's own loop: without its hold it would end now. */
  g_timeout_add (500, background_step, bg);
  return G_SOURCE_REMOVE;
}

static void
on_background_activate (GApplication *app, Background *bg)
{
  static gboolean started;

  if (!started)
    {
      started = TRUE;
      g_idle_add (close_for_background, bg);
    }
}

/* With "keep refreshing in the background" on, closing the window leaves
 * the app running; a refresh with news sends one notification (through
 * GApplication to org.freedesktop.Notifications, a fake server here) whose
 * default action opens a window on the source; the preference turns them off. */
static void
test_background_notification (void)
{
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(GApplication) app = G_APPLICATION (dtx_application_new ());
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  const char *argv[] = { "digitripx-reader", "--source", dtx_test_site_get_url (site), NULL };
  Background bg = { { app, site }, FALSE, FALSE };
  guint owner;
  int status;

  owner = serve_notifications (bus);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_background_activate), &bg);
  status = g_application_run (app, 3, (char **)argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (bg.background_step_ran);
  g_assert_true (bg.done);
  g_bus_unown_name (owner);
  g_clear_pointer (&notified.summary, g_free);
  g_clear_pointer (&notified.body, g_free);
}

int
main (int argc, char *argv[])
{
  g_autofree char *data_home = g_dir_make_tmp ("dtx-app-data-XXXXXX", NULL);

  /* The app under test keeps its store in a folder of its own. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();

  g_test_add_func ("/application/version", test_version);
  g_test_add_func ("/application/build-tree-translations", test_build_tree_translations);
  g_test_add_func ("/application/export-import-bookmarks", test_export_import_bookmarks);
  g_test_add_func ("/application/sigterm-closes-store", test_sigterm_closes_store);
  g_test_add_func ("/application/source-open-url-and-shortcuts", test_run_open_and_keys);
  g_test_add_func ("/application/opml-round-trip", test_opml_round_trip);
  g_test_add_func ("/application/background-notification", test_background_notification);

  return g_test_run ();
}
