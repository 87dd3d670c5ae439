/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window against a fake WordPress site on 127.0.0.1, in a real
 * window with a real WebKit view (build-aux/dev runs it under Xvfb). */
#define G_LOG_DOMAIN "test-window"
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "dtx-error.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"
#include "dtx-thumbnail-cache.h"
#include "dtx-article-list.h"
#include "dtx-article-row.h"
#include "dtx-row-label.h"
#include "dtx-spinner.h"
#include "dtx-window-private.h"

#define FIRST_TITLE "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya"
#define SECOND_TITLE "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh"

typedef struct {
  DtxTestSite *site;
  DtxFetcher  *fetcher;
  DtxContext  *context;
  char        *store_dir;
  char        *store_path;
  DtxWindow   *window;
} Fixture;

/* Every window of a test shares one store file, as the app's windows do. */
static DtxContext *
new_context (Fixture *f)
{
  g_autoptr(DtxStore) store = dtx_store_new (f->store_path);

  return dtx_context_new (f->fetcher, store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_reset (settings, "zoom-level");
  f->site = dtx_test_site_new ();
  dtx_test_site_set_mode (f->site, GPOINTER_TO_INT (data));
  f->fetcher = dtx_fetcher_new ();
  dtx_fetcher_set_timeout (f->fetcher, 2);
  f->store_dir = g_dir_make_tmp ("dtx-window-store-XXXXXX", NULL);
  f->store_path = g_build_filename (f->store_dir, "store.db", NULL);
  f->context = new_context (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->site, dtx_test_site_free);
  dtx_test_spin (50);
  dtx_test_remove_tree (f->store_dir);
  g_free (f->store_dir);
  g_free (f->store_path);
}

static GtkWidget *find_label_containing (GtkWidget *widget, const char *text);

static void
open_window (Fixture *f)
{
  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
state_is_not_loading (gpointer data)
{
  Fixture *f = data;

  return !dtx_window_is_loading (f->window) &&
         !g_str_equal (dtx_window_get_list_state (f->window), "loading");
}

static guint
n_articles (Fixture *f)
{
  return g_list_model_get_n_items (dtx_window_get_articles (f->window));
}

static gboolean
has_16_articles (gpointer data)
{
  return n_articles (data) >= 16;
}

static gboolean
has_24_articles (gpointer data)
{
  return n_articles (data) >= 24 && !dtx_window_is_loading (((Fixture *)data)->window);
}

static gboolean
title_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE) != NULL;
}

static DtxArticle *
article_at (Fixture *f, guint i)
{
  return g_list_model_get_item (dtx_window_get_articles (f->window), i);
}

static void
test_first_page_listed (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) second = NULL;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first title in a row"));

  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), SECOND_TITLE));
  second = article_at (f, 1);
  g_assert_cmpstr (dtx_article_get_title (second), ==, SECOND_TITLE);
  g_assert_cmpint (dtx_source_get_kind (dtx_window_get_source (f->window)), ==, DTX_SOURCE_KIND_WORDPRESS);
  /* No WebKit view (and so no web process) before the list has painted. */
  g_assert_true (dtx_test_reader_of (f->window) == NULL || dtx_window_is_list_painted (f->window));
}

static gboolean reader_before_paint;

static gboolean
reader_warm (gpointer data)
{
  Fixture *f = data;
  DtxReaderView *reader = dtx_test_reader_of (f->window);

  if (reader != NULL && !dtx_window_is_list_painted (f->window))
    reader_before_paint = TRUE;
  return reader != NULL &&
         !webkit_web_view_is_loading (dtx_reader_view_get_web_view (reader)) &&
         webkit_web_view_get_uri (dtx_reader_view_get_web_view (reader)) != NULL;
}

/* The reader is made, and its web process started on an empty page, once
 * the list has painted: before any click, never before the list. */
static void
test_reader_warm_up (Fixture *f, gconstpointer data)
{
  DtxReaderView *reader;

  reader_before_paint = FALSE;
  open_window (f);
  g_assert_null (dtx_test_reader_of (f->window));
  g_assert_false (dtx_window_is_list_painted (f->window));
  g_assert_true (dtx_test_wait_until (reader_warm, f, "the reader to warm up"));
  g_assert_false (reader_before_paint);
  g_assert_true (dtx_window_is_list_painted (f->window));
  g_assert_cmpuint (n_articles (f), >, 0);

  reader = dtx_test_reader_of (f->window);
  g_assert_null (dtx_reader_view_get_article (reader));
  g_assert_null (dtx_window_get_shown_article (f->window));
  g_assert_cmpstr (webkit_web_view_get_uri (dtx_reader_view_get_web_view (reader)), ==, "about:blank");
}

static GtkAdjustment *scroll_adjustment;

static gboolean
scrolled_to_end_has_24 (gpointer data)
{
  gtk_adjustment_set_value (scroll_adjustment, gtk_adjustment_get_upper (scroll_adjustment));
  return has_24_articles (data);
}

static void
test_load_more_on_scroll (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) last = NULL;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
    dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE), GTK_TYPE_SCROLLED_WINDOW));
  adj = gtk_scrolled_window_get_vadjustment (scrolled);

  /* The user keeps scrolling to the end, as the rows of each page come
   * in (a page's rows are counted before they are laid out, so one scroll
   * right after the count could still find the end of the page before). */
  scroll_adjustment = adj;
  g_assert_true (dtx_test_wait_until (scrolled_to_end_has_24, f, "pages 2 and 3 after scrolling"));
  g_assert_cmpuint (n_articles (f), ==, 24);
  last = article_at (f, 23);
  g_assert_cmpint (dtx_article_get_id (last), ==, 624);

  /* At the end of the last page, nothing more is asked for. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  dtx_test_spin (300);
  g_assert_cmpuint (n_articles (f), ==, 24);
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/wp-json/wp/v2/posts"), ==, 3);
  g_assert_nonnull (strstr (dtx_test_site_last_query (f->site, "/wp-json/wp/v2/posts"), "page=3"));
}

static gboolean
reader_has_text (gpointer data)
{
  Fixture *f = data;
  DtxReaderView *reader = dtx_test_reader_of (f->window);

  return reader != NULL && dtx_reader_view_get_article (reader) != NULL &&
         !dtx_reader_view_is_rendering (reader) &&
         !webkit_web_view_is_loading (dtx_reader_view_get_web_view (reader)) &&
         webkit_web_view_get_uri (dtx_reader_view_get_web_view (reader)) != NULL;
}

static void
test_open_article (Fixture *f, gconstpointer data)
{
  WebKitWebView *web_view;
  g_autofree char *text = NULL;
  g_autofree char *scripts = NULL;
  g_autofree char *image = NULL;
  g_autofree char *title = NULL;
  GtkSelectionModel *selection;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));

  selection = gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_ancestor (
    dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE), GTK_TYPE_LIST_VIEW)));
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_true (dtx_test_wait_until (reader_has_text, f, "the article in the reader"));

  web_view = dtx_reader_view_get_web_view (dtx_test_reader_of (f->window));
  text = dtx_test_eval_string (web_view, "document.body.innerText");
  g_assert_nonnull (strstr (text, "Sebuah aplikasi catatan open source kini bisa menyinkronkan data"));
  g_assert_nonnull (strstr (text, FIRST_TITLE));
  title = dtx_test_eval_string (web_view, "document.querySelector('h1').textContent");
  g_assert_cmpstr (title, ==, FIRST_TITLE);
  scripts = dtx_test_eval_string (web_view, "String(document.querySelectorAll('script').length)");
  g_assert_cmpstr (scripts, ==, "0");
  /* The image comes from the site (the base URI is the article's link). */
  image = dtx_test_eval_string (web_view, "document.querySelector('.content img').src");
  g_assert_true (g_str_has_prefix (image, dtx_test_site_get_url (f->site)));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
}

static gboolean
feed_listed (gpointer data)
{
  return state_is_not_loading (data) && n_articles (data) > 0;
}

static void
test_rest_disabled_uses_feed (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) first = NULL;

  open_window (f);
  g_assert_true (dtx_test_wait_until (feed_listed, f, "articles from the feed"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/feed/"), >=, 1);
  g_assert_cmpint (dtx_source_get_kind (dtx_window_get_source (f->window)), ==, DTX_SOURCE_KIND_FEED);
  first = article_at (f, 0);
  g_assert_cmpstr (dtx_article_get_title (first), ==, FIRST_TITLE);
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
}

static void
test_error_then_retry (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first answer"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "error");
  g_assert_cmpuint (n_articles (f), ==, 0);
  /* A status page says what happened, with a Retry button. */
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), "Retry"));

  dtx_test_site_set_mode (f->site, DTX_TEST_SITE_NORMAL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the list after Retry"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
}

static void
test_server_error_message (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first answer"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "error");
  /* What happened, and what to do, in the site's words for a 5xx. */
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), "The Site Reported an Error"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "has a problem at the moment. Try again later."));
}

static gboolean
server_error_banner (gpointer data)
{
  Fixture *f = data;

  return find_label_containing (GTK_WIDGET (f->window), "has a problem at the moment. Try again later. Showing the articles saved") != NULL;
}

static void
test_refresh_failure_keeps_list (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  /* The page shows before the store has saved it: let the refresh end. */
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first refresh"));

  dtx_test_site_set_mode (f->site, DTX_TEST_SITE_SERVER_ERROR);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the failed refresh"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_cmpuint (n_articles (f), >=, 8);
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
  /* A banner says the list is the stored one, with what failed. */
  g_assert_true (dtx_window_is_offline_banner_shown (f->window));
  g_assert_true (dtx_test_wait_until (server_error_banner, f, "the banner"));
}

static gboolean
label_contains (GtkWidget *widget, gconstpointer text)
{
  const char *shown = dtx_test_label_text (widget);

  return shown != NULL && strstr (shown, text) != NULL;
}

static gboolean
mapped_label_contains (GtkWidget *widget, gconstpointer text)
{
  return label_contains (widget, text) && gtk_widget_get_mapped (widget);
}

static GtkWidget *
find_label_containing (GtkWidget *widget, const char *text)
{
  return dtx_test_find_widget (widget, mapped_label_contains, text);
}

static gboolean
is_spinning (GtkWidget *widget, gconstpointer data)
{
  return DTX_IS_SPINNER (widget) && dtx_spinner_get_spinning (DTX_SPINNER (widget)) &&
         gtk_widget_get_mapped (widget);
}

static gboolean
has_spinning_spinner (GtkWidget *widget)
{
  return dtx_test_find_widget (widget, is_spinning, NULL) != NULL;
}

static void
test_slow_refresh_shows_progress (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));
  g_assert_false (has_spinning_spinner (GTK_WIDGET (f->window)));

  /* The server now takes longer than the fetcher's timeout. */
  dtx_test_site_set_mode (f->site, DTX_TEST_SITE_HANG);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  dtx_test_spin (100);
  g_assert_true (dtx_window_is_loading (f->window));
  g_assert_true (has_spinning_spinner (GTK_WIDGET (f->window)));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));

  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the refresh to time out"));
  g_assert_false (has_spinning_spinner (GTK_WIDGET (f->window)));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
}

static void
test_empty_site (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first answer"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "empty");
}

static gboolean
reader_shows (gpointer data)
{
  Fixture *f = data;

  return reader_has_text (f) &&
         g_strcmp0 (dtx_article_get_title (dtx_reader_view_get_article (dtx_test_reader_of (f->window))),
                    SECOND_TITLE) == 0;
}

static GtkWidget *find_row (GtkWidget *widget, const char *title);

static gboolean
second_selected (gpointer data)
{
  Fixture *f = data;
  GtkWidget *row = find_row (GTK_WIDGET (f->window), FIRST_TITLE);
  GtkWidget *view = row ? gtk_widget_get_ancestor (row, GTK_TYPE_LIST_VIEW) : NULL;

  return view != NULL &&
         gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (view)))) == 1;
}

static void
test_open_url (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));
  g_autofree char *text = NULL;

  open_window (f);
  dtx_window_open_url (f->window, url);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article opened by URL"));
  g_assert_cmpstr (dtx_article_get_link (dtx_reader_view_get_article (dtx_test_reader_of (f->window))), ==, url);
  text = dtx_test_eval_string (dtx_reader_view_get_web_view (dtx_test_reader_of (f->window)),
                               "document.body.innerText");
  g_assert_nonnull (strstr (text, SECOND_TITLE));
  /* Opened before the list arrived, the article is still highlighted in it. */
  g_assert_true (dtx_test_wait_until (second_selected, f, "the list to highlight the article"));
}

static gboolean
has_action (GtkWidget *widget, gconstpointer action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
find_actionable (GtkWidget *widget, const char *action)
{
  return dtx_test_find_widget (widget, has_action, action);
}

static gboolean
reader_error_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), "Article Not Found") != NULL;
}

/* Open in Browser is for the article on screen, not the one shown before a
 * link that failed to open. */
static void
test_failed_url_no_browser_button (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));
  g_autofree char *missing = g_strdup_printf ("%s/tidak-ada/", dtx_test_site_get_url (f->site));
  GtkWidget *button;

  open_window (f);
  dtx_window_open_url (f->window, url);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article"));
  button = find_actionable (GTK_WIDGET (f->window), "win.open-in-browser");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));

  dtx_window_open_url (f->window, missing);
  g_assert_true (dtx_test_wait_until (reader_error_shown, f, "the error for a missing article"));
  g_assert_false (gtk_widget_is_sensitive (button));
}

static gboolean
zoomed (gpointer data)
{
  Fixture *f = data;
  DtxReaderView *reader = dtx_test_reader_of (f->window);

  return reader != NULL && G_APPROX_VALUE (webkit_web_view_get_zoom_level (dtx_reader_view_get_web_view (reader)), 1.2, 0.001);
}

static void
test_zoom (Fixture *f, gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *url = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));

  open_window (f);
  dtx_window_open_url (f->window, url);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article"));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "zoom-level"), 1.2, 0.001);
  g_assert_true (dtx_test_wait_until (zoomed, f, "the reader to zoom"));

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "zoom-level"), 1.1, 0.001);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.zoom-reset", NULL);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "zoom-level"), 1.0, 0.001);
  g_assert_cmpfloat_with_epsilon (webkit_web_view_get_zoom_level (
    dtx_reader_view_get_web_view (dtx_test_reader_of (f->window))), 1.0, 0.001);
}

static GdkTexture *
load_thumbnail (Fixture *f, const char *dir, const char *url)
{
  g_autoptr(DtxThumbnailCache) cache = dtx_thumbnail_cache_new (f->fetcher, dir, 144);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  dtx_thumbnail_cache_load_async (cache, url, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  texture = dtx_thumbnail_cache_load_finish (cache, result, &error);
  g_assert_no_error (error);
  return texture;
}

/* A row's image is fetched once: a new window (a new cache) reads the copy
 * kept on disk instead of asking the site again. */
/* A row rebinds on every click: an image that would not decode (or was not
 * found) is remembered as failed and not fetched again. */
static void
test_thumbnail_failure_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxThumbnailCache) cache = dtx_thumbnail_cache_new (f->fetcher, NULL, 144);
  g_autofree char *broken = g_strdup_printf ("%s/wp-content/uploads/2024/05/rusak.jpg",
                                             dtx_test_site_get_url (f->site));
  g_autofree char *missing = g_strdup_printf ("%s/wp-content/uploads/2024/05/hilang.jpg",
                                              dtx_test_site_get_url (f->site));

  for (guint i = 0; i < 3; i++)
    {
      const char *urls[] = { broken, missing };

      for (guint j = 0; j < G_N_ELEMENTS (urls); j++)
        {
          g_autoptr(GAsyncResult) result = NULL;
          g_autoptr(GdkTexture) texture = NULL;
          g_autoptr(GError) error = NULL;

          dtx_thumbnail_cache_load_async (cache, urls[j], NULL, dtx_test_store_result, &result);
          dtx_test_wait_result (&result);
          texture = dtx_thumbnail_cache_load_finish (cache, result, &error);
          g_assert_null (texture);
          g_assert_nonnull (error);
        }
    }
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/wp-content/uploads/2024/05/rusak.jpg"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/wp-content/uploads/2024/05/hilang.jpg"), ==, 1);
}

static void
test_thumbnail_kept_on_disk (Fixture *f, gconstpointer data)
{
  const char *path = "/wp-content/uploads/2024/05/catatan-300x169.jpg";
  g_autofree char *dir = g_dir_make_tmp ("dtx-thumbnails-XXXXXX", NULL);
  g_autofree char *url = g_strconcat (dtx_test_site_get_url (f->site), path, NULL);
  g_autoptr(GdkTexture) first = load_thumbnail (f, dir, url);
  g_autoptr(GdkTexture) again = NULL;

  /* The 64×40 image, cropped to its centre square and never enlarged. */
  g_assert_cmpint (gdk_texture_get_width (first), ==, 40);
  g_assert_cmpint (gdk_texture_get_height (first), ==, 40);
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, path), ==, 1);

  again = load_thumbnail (f, dir, url);
  g_assert_cmpint (gdk_texture_get_width (again), ==, 40);
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, path), ==, 1);
}


/* Bookmarks, read state, search and the stored list */

static guint
n_bookmarks (Fixture *f)
{
  return g_list_model_get_n_items (dtx_window_get_bookmarks (f->window));
}

static gboolean
has_one_bookmark (gpointer data)
{
  return n_bookmarks (data) == 1;
}

static gboolean
has_no_bookmark (gpointer data)
{
  return n_bookmarks (data) == 0;
}

static GtkSelectionModel *
latest_selection (Fixture *f)
{
  return gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_ancestor (
    dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE), GTK_TYPE_LIST_VIEW)));
}

static void
open_first_article (Fixture *f)
{
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  gtk_selection_model_select_item (latest_selection (f), 0, TRUE);
  g_assert_true (dtx_test_wait_until (reader_has_text, f, "the article in the reader"));
}

static const char *
bookmark_icon (Fixture *f)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (f->window), "win.toggle-bookmark");

  g_assert_nonnull (button);
  return gtk_button_get_icon_name (GTK_BUTTON (button));
}

/* Stored rows, read straight from the file as the next start would. */
static GPtrArray *
stored (Fixture *f, DtxStoreListFlags flags)
{
  g_autoptr(DtxStore) store = dtx_store_new (f->store_path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  dtx_store_list_async (store, NULL, flags, NULL, 0, 1000, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  rows = dtx_store_list_finish (store, result, &error);
  g_assert_no_error (error);
  return rows;
}

static void
test_bookmark_with_ctrl_d (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) bookmark = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  open_window (f);
  open_first_article (f);
  g_assert_cmpstr (bookmark_icon (f), ==, "non-starred-symbolic");
  g_assert_cmpuint (n_bookmarks (f), ==, 0);
  g_assert_cmpstr (dtx_window_get_bookmarks_state (f->window), ==, "empty");

  /* What Ctrl+D is bound to: the article in the reader. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-bookmark", "s", ""));
  g_assert_true (dtx_test_wait_until (has_one_bookmark, f, "the bookmark in the Bookmarks list"));
  g_assert_cmpstr (bookmark_icon (f), ==, "starred-symbolic");
  g_assert_cmpstr (dtx_window_get_bookmarks_state (f->window), ==, "list");
  bookmark = g_list_model_get_item (dtx_window_get_bookmarks (f->window), 0);
  g_assert_cmpstr (dtx_article_get_title (bookmark), ==, FIRST_TITLE);

  /* It is in the file, with its body, before anything else happens. */
  rows = stored (f, DTX_STORE_LIST_BOOKMARKS);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (rows, 0)), ==, FIRST_TITLE);
  g_assert_true (dtx_article_get_bookmarked (g_ptr_array_index (rows, 0)));
}

static void
test_remove_bookmark_then_undo (Fixture *f, gconstpointer data)
{
  open_window (f);
  open_first_article (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-bookmark", "s", ""));
  g_assert_true (dtx_test_wait_until (has_one_bookmark, f, "the bookmark"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-bookmark", "s", ""));
  g_assert_true (dtx_test_wait_until (has_no_bookmark, f, "the bookmark to go"));
  g_assert_cmpstr (bookmark_icon (f), ==, "non-starred-symbolic");
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), "Bookmark removed"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-remove-bookmark", NULL));
  g_assert_true (dtx_test_wait_until (has_one_bookmark, f, "Undo to restore the bookmark"));
  g_assert_cmpstr (bookmark_icon (f), ==, "starred-symbolic");
}

/* The list row showing the article titled title. */
static gboolean
is_row_of (GtkWidget *widget, gconstpointer title)
{
  return DTX_IS_ARTICLE_ROW (widget) && dtx_article_row_get_article (DTX_ARTICLE_ROW (widget)) != NULL &&
         g_strcmp0 (dtx_article_get_title (dtx_article_row_get_article (DTX_ARTICLE_ROW (widget))), title) == 0;
}

static GtkWidget *
find_row (GtkWidget *widget, const char *title)
{
  return dtx_test_find_widget (widget, is_row_of, title);
}

static gboolean
first_is_read (gpointer data)
{
  g_autoptr(DtxArticle) first = article_at (data, 0);

  return dtx_article_get_read (first);
}

static gboolean
first_is_unread (gpointer data)
{
  return !first_is_read (data);
}

static void
test_read_state (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) first = NULL;
  g_autoptr(DtxArticle) second = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *link = NULL;
  guint n_read = 0;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_false (first_is_read (f));

  open_first_article (f);
  g_assert_true (dtx_test_wait_until (first_is_read, f, "the opened article to be read"));
  /* The row shows it: its title loses the unread weight. */
  g_assert_true (gtk_widget_has_css_class (find_row (GTK_WIDGET (f->window), FIRST_TITLE), "read"));
  second = article_at (f, 1);
  g_assert_false (dtx_article_get_read (second));

  first = article_at (f, 0);
  link = g_strdup (dtx_article_get_link (first));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mark-unread", "s", link));
  g_assert_true (dtx_test_wait_until (first_is_unread, f, "Mark as Unread"));

  /* Everything stored by then, pages the view asked for included. */
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the pages to load"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mark-all-read", NULL));
  g_assert_true (dtx_test_wait_until (first_is_read, f, "Mark All as Read"));
  rows = stored (f, DTX_STORE_LIST_ALL);
  for (guint i = 0; i < rows->len; i++)
    n_read += dtx_article_get_read (g_ptr_array_index (rows, i));
  g_assert_cmpuint (rows->len, >=, 8);
  g_assert_cmpuint (n_read, ==, rows->len);
}

static gboolean
one_result (gpointer data)
{
  return n_articles (data) == 1 && !dtx_window_is_loading (((Fixture *)data)->window);
}

static gboolean
all_back (gpointer data)
{
  return n_articles (data) >= 8 && !dtx_window_is_loading (((Fixture *)data)->window);
}

static gboolean
no_results (gpointer data)
{
  Fixture *f = data;

  return g_str_equal (dtx_window_get_list_state (f->window), "no-results");
}

static void
test_search_filters (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) found = NULL;
  GtkWidget *entry;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));

  /* What Ctrl+F is bound to: the search bar opens with the focus in it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  entry = gtk_root_get_focus (GTK_ROOT (f->window));
  entry = GTK_IS_SEARCH_ENTRY (entry) ? entry : gtk_widget_get_ancestor (entry, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);

  /* A prefix of a word only the second article has. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "lipa");
  g_assert_true (dtx_test_wait_until (one_result, f, "the search to filter the list"));
  found = article_at (f, 0);
  g_assert_cmpstr (dtx_article_get_title (found), ==, SECOND_TITLE);
  /* A WordPress site can be searched too. */
  g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "for “lipa”"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "zzzqqq");
  g_assert_true (dtx_test_wait_until (no_results, f, "No Results"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (dtx_test_wait_until (all_back, f, "the whole list again"));
}

static gboolean
search_site_asked (gpointer data)
{
  Fixture *f = data;

  return dtx_test_site_count_queries (f->site, "/wp-json/wp/v2/posts", "search=") > 0;
}

static void
test_search_site (Fixture *f, gconstpointer data)
{
  GtkWidget *entry;

  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  entry = gtk_widget_get_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_TYPE_SEARCH_ENTRY);
  if (entry == NULL)
    entry = gtk_root_get_focus (GTK_ROOT (f->window));
  gtk_editable_set_text (GTK_EDITABLE (entry), "lipat");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search-site", NULL));
  /* (The list may be reading the site's next page meanwhile.) */
  g_assert_true (dtx_test_wait_until (search_site_asked, f, "the site's search"));
  g_assert_cmpuint (dtx_test_site_count_queries (f->site, "/wp-json/wp/v2/posts", "search=lipat"), ==, 1);
}

static gboolean
list_from_store (gpointer data)
{
  Fixture *f = data;

  return g_str_equal (dtx_window_get_list_state (f->window), "list") && n_articles (f) >= 8;
}

static gboolean
banner_shown (gpointer data)
{
  return dtx_window_is_offline_banner_shown (((Fixture *)data)->window);
}

static gboolean
reader_shows_first (gpointer data)
{
  Fixture *f = data;

  return reader_has_text (f) &&
         g_strcmp0 (dtx_article_get_title (dtx_reader_view_get_article (dtx_test_reader_of (f->window))),
                    FIRST_TITLE) == 0;
}

/* The page itself, not only the reader's article: the body of the first. */
static gboolean
first_body_shown (gpointer data)
{
  Fixture *f = data;
  g_autofree char *text = NULL;

  if (!reader_shows_first (f))
    return FALSE;
  text = dtx_test_eval_string (dtx_reader_view_get_web_view (dtx_test_reader_of (f->window)),
                               "document.body.innerText");
  return strstr (text, "Sebuah aplikasi catatan open source kini bisa menyinkronkan data") != NULL;
}

static gboolean
offline_banner (gpointer data)
{
  Fixture *f = data;

  return find_label_containing (GTK_WIDGET (f->window), "Check your connection. Showing the articles saved") != NULL;
}

/* A start with the site gone shows what was stored, with a banner instead
 * of an error page. */
static void
test_offline_start_shows_stored_list (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup (dtx_test_site_get_url (f->site));

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_pointer (&f->site, dtx_test_site_free);
  dtx_test_spin (50);

  /* The server is stopped: its port refuses connections. */
  f->context = new_context (f);
  f->window = dtx_window_new (NULL, f->context, url);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dtx_test_wait_until (list_from_store, f, "the stored list"));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
  g_assert_true (dtx_test_wait_until (banner_shown, f, "the banner after the failed refresh"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_true (dtx_test_wait_until (offline_banner, f, "the banner to say what failed"));

  /* A link to a stored article opens offline too. */
  {
    g_autofree char *link = g_strdup_printf ("%s/review-ponsel-lipat/", url);

    dtx_window_open_url (f->window, link);
    g_assert_true (dtx_test_wait_until (reader_shows, f, "the stored article opened by its link"));
  }

  /* A stored article opens offline, body included. */
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_ancestor (
    dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE), GTK_TYPE_LIST_VIEW))), 0, TRUE);
  g_assert_true (dtx_test_wait_until (reader_shows_first, f, "the stored article in the reader"));
  g_assert_true (dtx_test_wait_until (first_body_shown, f, "the stored article's body"));
}

static void
test_row_menu (Fixture *f, gconstpointer data)
{
  GtkWidget *row;
  GtkWidget *popover;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  /* The pages that fill the view come after the first paint: the menu opens
   * on a list at rest, as a user's would. */
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));
  dtx_test_spin (300);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the pages that fill the view"));
  row = find_row (GTK_WIDGET (f->window), FIRST_TITLE);
  g_signal_emit_by_name (row, "menu", 10.0, 10.0);
  dtx_test_spin (100);
  popover = gtk_widget_get_last_child (row);
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_nonnull (dtx_test_find_label (popover, "Mark as Read"));
  g_assert_nonnull (dtx_test_find_label (popover, "Add Bookmark"));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

/* Flow: narrow keyboard, history, launch failures, fallback, refresh */

static GtkWidget *
find_any_label_containing (GtkWidget *widget, const char *text)
{
  return dtx_test_find_widget (widget, label_contains, text);
}

static void
collect_label_texts (GtkWidget *widget, GString *out)
{
  if (dtx_test_label_text (widget) != NULL)
    g_string_append_printf (out, "%s\n", dtx_test_label_text (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_label_texts (child, out);
}

static GtkWidget *find_row (GtkWidget *widget, const char *title);

static GtkListView *
latest_view (Fixture *f)
{
  return GTK_LIST_VIEW (gtk_widget_get_ancestor (find_row (GTK_WIDGET (f->window), FIRST_TITLE),
                                                 GTK_TYPE_LIST_VIEW));
}

static guint
selected_position (Fixture *f)
{
  return gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (latest_view (f))));
}

/* Types keys into the window as a user does, through the X server. */
static void
press_keys (Fixture *f, const char *keys)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));
  const char *focus[] = { "xdotool", "windowfocus", "--sync", xid, NULL };
  const char *key[] = { "xdotool", "key", "--window", xid, "--clearmodifiers", keys, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (GDK_IS_X11_SURFACE (surface));
  g_assert_true (g_spawn_sync (NULL, (char **)focus, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  dtx_test_spin (200);
  g_assert_true (g_spawn_sync (NULL, (char **)key, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  dtx_test_spin (300);
}

static gboolean
is_search_entry (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_SEARCH_ENTRY (widget);
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  return dtx_test_find_widget (widget, is_search_entry, NULL);
}

/* A mouse's back (8) or forward (9) button over the reader. */
static void
press_mouse_button (Fixture *f, const char *button)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));
  const char *move[] = { "xdotool", "mousemove", "--window", xid, "900", "400", NULL };
  const char *click[] = { "xdotool", "click", button, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **)move, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  dtx_test_spin (200);
  g_assert_true (g_spawn_sync (NULL, (char **)click, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  dtx_test_spin (300);
}

static gboolean
leaflet_shows_reader (Fixture *f)
{
  GtkWidget *bookmark = find_actionable (GTK_WIDGET (f->window), "win.toggle-bookmark");

  return bookmark != NULL && gtk_widget_get_mapped (bookmark);
}

static gboolean
reader_shows_second (gpointer data)
{
  return reader_shows (data);
}

static gboolean
reader_shows_third (gpointer data)
{
  Fixture *f = data;

  return reader_has_text (f) &&
         g_strcmp0 (dtx_article_get_title (dtx_reader_view_get_article (dtx_test_reader_of (f->window))),
                    "Tanpa Gambar Unggulan: Catatan Redaksi") == 0;
}

static gboolean
reader_shown_again (gpointer data)
{
  return leaflet_shows_reader (data);
}

/* A primary click in the middle of widget, through the X server. */
static void
click_widget (Fixture *f, GtkWidget *widget)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));
  g_autofree char *x = NULL, *y = NULL;
  g_autoptr(GError) error = NULL;
  graphene_point_t p;
  double sx, sy;
  int status = 0;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0), &p));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  x = g_strdup_printf ("%d", (int)(p.x + sx));
  y = g_strdup_printf ("%d", (int)(p.y + sy));
  {
    const char *move[] = { "xdotool", "mousemove", "--window", xid, x, y, NULL };
    const char *click[] = { "xdotool", "click", "1", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **)move, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    dtx_test_spin (200);
    g_assert_true (g_spawn_sync (NULL, (char **)click, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
  }
  dtx_test_spin (300);
}

static gboolean
list_shown_again (gpointer data)
{
  return !leaflet_shows_reader (data);
}

/* At 400 px the arrow keys move the selection and the list stays; Enter
 * opens; Alt+Left returns to the list. */
static void
test_narrow_arrow_keys_keep_list (Fixture *f, gconstpointer data)
{
  GtkWidget *first_row;

  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));

  first_row = gtk_widget_get_parent (find_row (GTK_WIDGET (f->window), FIRST_TITLE));
  gtk_widget_grab_focus (first_row);
  press_keys (f, "Down");
  press_keys (f, "Down");
  g_assert_cmpuint (selected_position (f), ==, 2);
  g_assert_false (leaflet_shows_reader (f));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->window), FIRST_TITLE));
  /* No article opened (the reader may exist: it warms up once the list is in). */
  g_assert_true (dtx_test_reader_of (f->window) == NULL ||
                 dtx_reader_view_get_article (dtx_test_reader_of (f->window)) == NULL);

  press_keys (f, "Up");
  g_assert_cmpuint (selected_position (f), ==, 1);
  press_keys (f, "Return");
  g_assert_true (dtx_test_wait_until (reader_shows_second, f, "Enter to open the selected article"));
  g_assert_true (leaflet_shows_reader (f));

  /* j, typed in the reader, shows the next article; Alt+Left first walks
   * the reader's history back to the one before, then leaves for the list. */
  press_keys (f, "j");
  g_assert_true (dtx_test_wait_until (reader_shows_third, f, "j to the next article"));
  g_assert_cmpuint (selected_position (f), ==, 2);
  press_keys (f, "alt+Left");
  g_assert_true (dtx_test_wait_until (reader_shows_second, f, "Alt+Left to the article before"));
  g_assert_true (leaflet_shows_reader (f));
  press_keys (f, "alt+Left");
  g_assert_true (dtx_test_wait_until (list_shown_again, f, "Alt+Left back to the list"));
  g_assert_nonnull (find_row (GTK_WIDGET (f->window), SECOND_TITLE));

  /* A click on the row that is already selected shows it again. */
  g_assert_cmpuint (selected_position (f), ==, 1);
  click_widget (f, find_row (GTK_WIDGET (f->window), SECOND_TITLE));
  g_assert_true (dtx_test_wait_until (reader_shown_again, f, "a click on the selected row"));
  g_assert_true (reader_shows_second (f));
}

/* A same-site link followed in the reader, then Alt+Left: the first
 * article again, and the list's selection follows both ways. */
static void
test_history_back_follows_list (Fixture *f, gconstpointer data)
{
  g_autofree char *second = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));
  g_autofree char *script = g_strdup_printf (
    "var a = document.createElement('a'); a.href = '%s'; a.id = 'baca-juga'; a.textContent = 'Baca juga';"
    "document.body.appendChild(a); a.click(); 'ok'", second);
  g_autofree char *result = NULL;
  GtkSelectionModel *selection;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  selection = gtk_list_view_get_model (latest_view (f));
  gtk_selection_model_select_item (selection, 0, TRUE);
  g_assert_true (dtx_test_wait_until (reader_shows_first, f, "the first article"));
  g_assert_false (gtk_widget_get_visible (find_actionable (GTK_WIDGET (f->window), "win.history-forward")));

  result = dtx_test_eval_string (dtx_reader_view_get_web_view (dtx_test_reader_of (f->window)), script);
  g_assert_cmpstr (result, ==, "ok");
  g_assert_true (dtx_test_wait_until (reader_shows_second, f, "the linked article"));
  g_assert_cmpuint (selected_position (f), ==, 1);
  g_assert_true (gtk_widget_get_visible (find_actionable (GTK_WIDGET (f->window), "win.go-back")));

  press_keys (f, "alt+Left");
  g_assert_true (dtx_test_wait_until (reader_shows_first, f, "Alt+Left to the first article"));
  g_assert_cmpuint (selected_position (f), ==, 0);
  /* The window stays wide: Alt+Left never hid the reader. */
  g_assert_true (leaflet_shows_reader (f));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.history-forward", NULL));
  g_assert_true (dtx_test_wait_until (reader_shows_second, f, "forward again"));
  g_assert_cmpuint (selected_position (f), ==, 1);

  /* j and k step through the list. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.previous-article", NULL));
  g_assert_true (dtx_test_wait_until (reader_shows_first, f, "k to the previous article"));
  g_assert_cmpuint (selected_position (f), ==, 0);

  /* The mouse's back and forward buttons walk the same history. */
  press_mouse_button (f, "8");
  g_assert_true (dtx_test_wait_until (reader_shows_second, f, "mouse button 8"));
  g_assert_cmpuint (selected_position (f), ==, 1);
  press_mouse_button (f, "9");
  g_assert_true (dtx_test_wait_until (reader_shows_first, f, "mouse button 9"));

  /* In the search entry j is a letter, not the next article. */
  press_keys (f, "ctrl+f");
  press_keys (f, "j");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_search_entry (GTK_WIDGET (f->window)))), ==, "j");
  g_assert_true (reader_shows_first (f));
}

static gboolean
launch_failed_toast (gpointer data)
{
  Fixture *f = data;

  return find_label_containing (GTK_WIDGET (f->window), "Could not open the link") != NULL;
}

/* Nothing opens web links here (see main()): the user is told, and may copy. */
static void
test_launch_failure_toast (Fixture *f, gconstpointer data)
{
  g_autofree char *url = g_strdup_printf ("%s/review-ponsel-lipat/", dtx_test_site_get_url (f->site));
  GtkWidget *button;

  open_window (f);
  dtx_window_open_url (f->window, url);
  g_assert_true (dtx_test_wait_until (reader_shows, f, "the article"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-in-browser", NULL));
  g_assert_true (dtx_test_wait_until (launch_failed_toast, f, "the toast about the link"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (f->window), "Copy Link"));
  button = find_actionable (GTK_WIDGET (f->window), "win.open-in-browser");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-url", "s", url));
}

/* REST fails (500, broken JSON) while the feed works: the feed's articles,
 * with a quiet word that they come from it. */
static void
test_rest_failure_lists_feed (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) first = NULL;

  open_window (f);
  g_assert_true (dtx_test_wait_until (feed_listed, f, "articles from the feed"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  first = article_at (f, 0);
  g_assert_cmpstr (dtx_article_get_title (first), ==, FIRST_TITLE);
  g_assert_cmpstr (dtx_article_get_source_name (first), ==, "Contoh Tekno");
  g_assert_nonnull (find_any_label_containing (GTK_WIDGET (f->window), "Contoh Tekno, from its feed"));
  g_assert_false (dtx_window_is_offline_banner_shown (f->window));
}

static void
test_feed_oldest_first_shown_newest_first (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (feed_listed, f, "articles from the feed"));
  for (guint i = 1; i < n_articles (f); i++)
    {
      g_autoptr(DtxArticle) a = article_at (f, i - 1);
      g_autoptr(DtxArticle) b = article_at (f, i);
      g_assert_cmpint (g_date_time_compare (dtx_article_get_date (a), dtx_article_get_date (b)), >=, 0);
    }
  {
    g_autoptr(DtxArticle) first = article_at (f, 0);
    g_assert_cmpstr (dtx_article_get_title (first), ==, FIRST_TITLE);
  }
}

/* The icon of the status page on screen. */
static gboolean
is_shown_status_page (GtkWidget *widget, gconstpointer data)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget);
}

static const char *
shown_status_icon (GtkWidget *widget)
{
  GtkWidget *page = dtx_test_find_widget (widget, is_shown_status_page, NULL);

  return page ? adw_status_page_get_icon_name (ADW_STATUS_PAGE (page)) : NULL;
}

/* The error page says what happened in words, never a parser's message. */
static void
test_no_parser_text (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) texts = g_string_new (NULL);

  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first answer"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "error");
  collect_label_texts (GTK_WIDGET (f->window), texts);
  g_assert_null (strstr (texts->str, "<data>"));
  g_assert_null (strstr (texts->str, "Parse error"));
  g_assert_null (strstr (texts->str, "scanner"));
  g_assert_null (strstr (texts->str, "line "));
  g_assert_nonnull (strstr (texts->str, "The site sent a damaged list of articles."));
  g_assert_cmpstr (shown_status_icon (GTK_WIDGET (f->window)), ==, "dialog-question-symbolic");
}

static guint refresh_expected;

static gboolean
two_new (gpointer data)
{
  return n_articles (data) >= refresh_expected && state_is_not_loading (data);
}

static gboolean
new_articles_toast (gpointer data)
{
  Fixture *f = data;

  return find_label_containing (GTK_WIDGET (f->window), "2 new articles") != NULL;
}

/* Refresh adds two posts above: selection, reader and the place in the
 * list stay; a toast counts the new ones. */
static void
test_refresh_keeps_place (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) chosen = NULL;
  g_autoptr(DtxArticle) selected = NULL;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adj;
  GtkWidget *row;
  graphene_point_t before, after;
  guint n_before;

  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first pages"));
  dtx_test_spin (500);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the pages that fill the view"));
  n_before = n_articles (f);
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (latest_view (f)), GTK_TYPE_SCROLLED_WINDOW));
  adj = gtk_scrolled_window_get_vadjustment (scrolled);

  chosen = article_at (f, 3);
  gtk_selection_model_select_item (gtk_list_view_get_model (latest_view (f)), 3, TRUE);
  g_assert_true (dtx_test_wait_until (reader_has_text, f, "the chosen article"));
  gtk_adjustment_set_value (adj, 150);
  dtx_test_spin (300);
  row = find_row (GTK_WIDGET (f->window), dtx_article_get_title (chosen));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (scrolled), &GRAPHENE_POINT_INIT (0, 0), &before));

  dtx_test_site_add_post (f->site);
  dtx_test_site_add_post (f->site);
  refresh_expected = n_before + 2;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  if (!dtx_test_wait_until (two_new, f, "the refreshed list"))
    for (guint i = 0; i < n_articles (f); i++)
      {
        g_autoptr(DtxArticle) a = article_at (f, i);
        g_printerr ("%u %s %s\n", i, dtx_article_get_title (a), dtx_article_get_link (a));
      }
  g_assert_cmpuint (n_articles (f), >=, refresh_expected);
  dtx_test_spin (300);

  g_assert_cmpuint (n_articles (f), ==, n_before + 2);
  {
    g_autoptr(DtxArticle) top = article_at (f, 0);
    g_assert_cmpstr (dtx_article_get_title (top), ==, "Berita Baru Nomor 2");
  }
  selected = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (gtk_list_view_get_model (latest_view (f))))
             ? g_object_ref (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (gtk_list_view_get_model (latest_view (f)))))
             : NULL;
  g_assert_nonnull (selected);
  g_assert_cmpstr (dtx_article_get_link (selected), ==, dtx_article_get_link (chosen));
  g_assert_cmpstr (dtx_article_get_link (dtx_reader_view_get_article (dtx_test_reader_of (f->window))), ==,
                   dtx_article_get_link (chosen));
  g_assert_true (dtx_test_wait_until (new_articles_toast, f, "the toast about new articles"));

  row = find_row (GTK_WIDGET (f->window), dtx_article_get_title (chosen));
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_compute_point (row, GTK_WIDGET (scrolled), &GRAPHENE_POINT_INIT (0, 0), &after));
  g_assert_cmpfloat_with_epsilon (after.y, before.y, 2.0);
}

/* A list of one site: the rows name the category, not the site each time. */
static void
test_row_shows_category (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (title_shown, f, "the first page"));
  g_assert_null (find_any_label_containing (GTK_WIDGET (find_row (GTK_WIDGET (f->window), FIRST_TITLE)), "127.0.0.1"));
  g_assert_null (find_any_label_containing (GTK_WIDGET (find_row (GTK_WIDGET (f->window), FIRST_TITLE)), "Contoh Tekno"));
  {
    g_autoptr(DtxArticle) first = article_at (f, 0);
    const char * const *categories = dtx_article_get_categories (first);
    g_assert_nonnull (categories);
    g_assert_nonnull (find_any_label_containing (find_row (GTK_WIDGET (f->window), FIRST_TITLE), categories[0]));
    g_assert_cmpstr (dtx_article_get_source_name (first), ==, "Contoh Tekno");
  }
}

/* "Article Not Found" offers the page asked for in the browser. */
static void
test_not_found_offers_browser (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_strdup_printf ("%s/tidak-ada/", dtx_test_site_get_url (f->site));
  GtkWidget *button;

  open_window (f);
  dtx_window_open_url (f->window, missing);
  g_assert_true (dtx_test_wait_until (reader_error_shown, f, "the error for a missing article"));
  button = find_actionable (GTK_WIDGET (f->window), "win.open-failed-url");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-failed-url", NULL));
  /* Nothing opens links in this test: the failure is said. */
  g_assert_true (dtx_test_wait_until (launch_failed_toast, f, "the toast about the link"));
}

static gboolean
reader_hint_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->window), "No Article Selected") != NULL;
}

/* No "No Article Selected" beside a loading or error page. */
static void
test_placeholder_only_beside_list (Fixture *f, gconstpointer data)
{
  open_window (f);
  g_assert_true (dtx_test_wait_until (state_is_not_loading, f, "the first answer"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "error");
  g_assert_null (dtx_test_find_label (GTK_WIDGET (f->window), "No Article Selected"));
  /* A server error has its own picture. */
  g_assert_cmpstr (shown_status_icon (GTK_WIDGET (f->window)), ==, "network-server-symbolic");

  dtx_test_site_set_mode (f->site, DTX_TEST_SITE_NORMAL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the list after Retry"));
  /* A frame after the rows. */
  g_assert_true (dtx_test_wait_until (reader_hint_shown, f, "the hint beside the list"));
}

static void
set_age (const char *path, gint64 days)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint64 when = (guint64)(g_get_real_time () / G_USEC_PER_SEC - days * 24 * 3600);

  g_assert_true (g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, when,
                                              G_FILE_QUERY_INFO_NONE, NULL, NULL));
}

/* The disk cache loses images older than the kept days, except those of
 * articles still stored; recent ones stay. */
static void
test_thumbnail_trim (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("dtx-thumbnails-XXXXXX", NULL);
  g_autofree char *base = g_strconcat (dtx_test_site_get_url (f->site), "/wp-content/uploads/2024/05/", NULL);
  g_autofree char *kept_url = g_strconcat (base, "catatan-300x169.jpg", NULL);
  g_autofree char *old_url = g_strconcat (base, "gambar-10-300x169.jpg", NULL);
  g_autoptr(DtxThumbnailCache) cache = dtx_thumbnail_cache_new (f->fetcher, dir, 144);
  g_autoptr(GdkTexture) a = load_thumbnail (f, dir, kept_url);
  g_autoptr(GdkTexture) b = load_thumbnail (f, dir, old_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *keep[] = { kept_url, NULL };
  g_autoptr(GDir) listing = NULL;
  guint n_files = 0;
  const char *name;

  /* Both images are on disk, 40 days old; a stray recent file stays too. */
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      set_age (path, 40);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 2);
  g_clear_pointer (&listing, g_dir_close);
  {
    g_autofree char *recent = g_build_filename (dir, "recent.png", NULL);
    g_assert_true (g_file_set_contents (recent, "x", 1, NULL));
  }

  dtx_thumbnail_cache_trim_async (cache, 30, keep, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_cmpint (dtx_thumbnail_cache_trim_finish (cache, result, &error), ==, 1);
  g_assert_no_error (error);

  /* What is left: the stored article's image, read again without asking
   * the site, and the recent file. */
  n_files = 0;
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 2);
  {
    guint before = dtx_test_site_count_requests (f->site, "/wp-content/uploads/2024/05/catatan-300x169.jpg");
    g_autoptr(GdkTexture) again = load_thumbnail (f, dir, kept_url);
    g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/wp-content/uploads/2024/05/catatan-300x169.jpg"), ==, before);
  }
  dtx_test_remove_tree (dir);
}

/* Sources (issue 10) */

#include "dtx-add-source-dialog.h"
#include "dtx-sidebar.h"

/* The store follows exactly these sources, as after a user set them up:
 * the window then never reaches for DigiTripX.id, the first start's default. */
static void
follow_only (Fixture *f, const char * const *urls)
{
  DtxStore *store = dtx_context_get_store (f->context);
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GError) error = NULL;

  dtx_store_open_async (store, NULL, dtx_test_store_result, &opened);
  dtx_test_wait_result (&opened);
  dtx_store_open_finish (store, opened, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autoptr(DtxStoreSource) row = dtx_store_source_new (urls[i]);
      g_autoptr(GAsyncResult) added = NULL;

      row->kind = DTX_SOURCE_KIND_UNKNOWN;
      dtx_store_add_source_async (store, row, NULL, dtx_test_store_result, &added);
      dtx_test_wait_result (&added);
      dtx_store_add_source_finish (store, added, &error);
      g_assert_no_error (error);
    }
}

static DtxSourceManager *
manager_of (Fixture *f)
{
  return dtx_context_get_sources (f->context);
}

static DtxSidebar *
sidebar_of (Fixture *f)
{
  return DTX_SIDEBAR (dtx_window_get_sidebar (f->window));
}

static gboolean
sources_loaded (gpointer data)
{
  Fixture *f = data;

  return dtx_window_is_sources_loaded (f->window) && state_is_not_loading (f);
}

static DtxAddSourceDialog *
find_add_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (DTX_IS_ADD_SOURCE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return DTX_ADD_SOURCE_DIALOG (window);
    }
  return NULL;
}

static gboolean
add_dialog_shown (gpointer data)
{
  return find_add_dialog () != NULL;
}

static gboolean
add_dialog_gone (gpointer data)
{
  return find_add_dialog () == NULL;
}

static gboolean
dialog_has_results (gpointer data)
{
  DtxAddSourceDialog *dialog = find_add_dialog ();

  return dialog != NULL && g_str_equal (dtx_add_source_dialog_get_state (dialog), "results");
}

static gboolean
dialog_settled (gpointer data)
{
  DtxAddSourceDialog *dialog = find_add_dialog ();

  return dialog != NULL && !g_str_equal (dtx_add_source_dialog_get_state (dialog), "searching");
}

static gboolean
is_entry (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ENTRY (widget);
}

/* Types text into the dialog's address entry and presses Enter, as a user. */
static void
type_address (DtxAddSourceDialog *dialog, const char *text)
{
  GtkWidget *entry = dtx_test_find_widget (GTK_WIDGET (dialog), is_entry, NULL);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");
}

typedef struct {
  Fixture    *f;
  const char *url;
  const char *category;
} RowQuery;

static gboolean
row_shown (gpointer data)
{
  RowQuery *q = data;
  DtxSource *source = dtx_source_manager_lookup (manager_of (q->f), q->url);

  return source != NULL && dtx_sidebar_get_row (sidebar_of (q->f), source, q->category) != NULL;
}

static gboolean
is_count_label (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text);
}

static gboolean
row_counts_unread (gpointer data)
{
  RowQuery *q = data;
  DtxSource *source = dtx_source_manager_lookup (manager_of (q->f), q->url);
  GtkWidget *row = source ? dtx_sidebar_get_row (sidebar_of (q->f), source, NULL) : NULL;
  g_autofree char *text = NULL;

  if (row == NULL || dtx_source_get_unread_count (source) == 0)
    return FALSE;
  text = g_strdup_printf ("%u", dtx_source_get_unread_count (source));
  return dtx_test_find_widget (row, is_count_label, text) != NULL;
}

static gboolean
unread_counts_list (gpointer data)
{
  RowQuery *q = data;
  DtxSource *source = dtx_source_manager_lookup (manager_of (q->f), q->url);

  return source != NULL && dtx_source_get_unread_count (source) >= 8 &&
         dtx_source_get_unread_count (source) == n_articles (q->f) &&
         !dtx_article_list_get_loading (DTX_ARTICLE_LIST (dtx_window_get_articles (q->f->window)));
}

/* Ctrl+N's dialog: an address leads to what it is; Add follows it, and the
 * sidebar shows it selected, with its unread count, and its articles. */
static void
test_add_source_through_dialog (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), NULL };
  RowQuery query = { f, dtx_test_site_get_url (other), NULL };
  DtxAddSourceDialog *dialog;
  DtxSource *added;

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager_of (f))), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-source", NULL));
  g_assert_true (dtx_test_wait_until (add_dialog_shown, NULL, "the Add Source dialog"));
  dialog = find_add_dialog ();
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  /* An address that leads nowhere says why, in the dialog. */
  {
    g_autofree char *nowhere = g_strdup_printf ("%s/nothing-here/", dtx_test_site_get_url (other));

    type_address (dialog, nowhere);
    g_assert_true (dtx_test_wait_until (dialog_settled, NULL, "the search to end"));
    g_assert_cmpstr (dtx_add_source_dialog_get_state (dialog), ==, "error");
    g_assert_nonnull (dtx_add_source_dialog_get_message (dialog));
    g_assert_cmpuint (strlen (dtx_add_source_dialog_get_message (dialog)), >, 10);
  }

  /* The one already followed says so, and Add stays off. */
  type_address (dialog, dtx_test_site_get_url (f->site));
  g_assert_true (dtx_test_wait_until (dialog_has_results, NULL, "what the followed site is"));
  g_assert_cmpstr (dtx_add_source_dialog_get_message (dialog), ==, "You already follow this source.");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL) &&
                  !g_str_equal (dtx_add_source_dialog_get_state (dialog), "results"));

  /* The new site: its name, kind and latest titles, then Add. */
  type_address (dialog, dtx_test_site_get_url (other));
  g_assert_true (dtx_test_wait_until (dialog_has_results, NULL, "what the address is"));
  g_assert_cmpuint (dtx_add_source_dialog_get_n_results (dialog), ==, 1);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), "Contoh Tekno"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), "WordPress site"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (dialog), FIRST_TITLE));
  g_assert_null (dtx_add_source_dialog_get_message (dialog));
  /* Enter adds what was found. */
  type_address (dialog, dtx_test_site_get_url (other));
  g_assert_true (dtx_test_wait_until (dialog_has_results, NULL, "what the address is, again"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  g_assert_true (dtx_test_wait_until (add_dialog_gone, NULL, "the dialog to close"));

  g_assert_true (dtx_test_wait_until (row_shown, &query, "the new source in the sidebar"));
  added = dtx_source_manager_lookup (manager_of (f), dtx_test_site_get_url (other));
  g_assert_cmpint (dtx_source_get_kind (added), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_true (dtx_window_get_source (f->window) == added);
  g_assert_true (dtx_sidebar_get_selected_source (sidebar_of (f)) == added);
  g_assert_true (dtx_test_wait_until (title_shown, f, "its articles"));
  /* Every article listed is unread: once the list has paged what fits, the
   * count in the sidebar says how many there are (a page of 8 at least). */
  g_assert_true (dtx_test_wait_until (unread_counts_list, &query, "its unread count to match its list"));
  g_assert_cmpuint (dtx_source_get_unread_count (added), >=, 8);
  g_assert_true (dtx_test_wait_until (row_counts_unread, &query, "its unread count in the sidebar"));
  g_assert_cmpuint (dtx_test_site_count_requests (other, "/wp-json/wp/v2/posts"), >=, 1);
}

/* Cancel stops a search under way and keeps the dialog open. */
static void
test_add_source_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) slow = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), NULL };
  DtxAddSourceDialog *dialog;

  follow_only (f, urls);
  dtx_test_site_set_mode (slow, DTX_TEST_SITE_HANG);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-source", NULL));
  g_assert_true (dtx_test_wait_until (add_dialog_shown, NULL, "the Add Source dialog"));
  dialog = find_add_dialog ();
  type_address (dialog, dtx_test_site_get_url (slow));
  dtx_test_spin (100);
  g_assert_cmpstr (dtx_add_source_dialog_get_state (dialog), ==, "searching");
  g_assert_true (has_spinning_spinner (GTK_WIDGET (dialog)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.cancel", NULL));
  g_assert_cmpstr (dtx_add_source_dialog_get_state (dialog), ==, "start");
  g_assert_false (has_spinning_spinner (GTK_WIDGET (dialog)));
  g_assert_true (find_add_dialog () == dialog);
  /* A second Cancel closes it; nothing was added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.cancel", NULL));
  g_assert_true (dtx_test_wait_until (add_dialog_gone, NULL, "the dialog to close"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager_of (f))), ==, 1);
}

static gboolean
categories_listed (gpointer data)
{
  RowQuery *q = data;

  return row_shown (q) && gtk_widget_get_visible (
    dtx_sidebar_get_row (sidebar_of (q->f), dtx_source_manager_lookup (manager_of (q->f), q->url), q->category));
}

/* Listed articles outside q's category. */
static guint
n_outside_category (RowQuery *q)
{
  guint n = n_articles (q->f), outside = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DtxArticle) article = article_at (q->f, i);
      const char * const *categories = dtx_article_get_categories (article);

      if (categories == NULL || !g_strv_contains (categories, q->category))
        outside++;
    }
  return outside;
}

static gboolean
only_category (gpointer data)
{
  RowQuery *q = data;

  return n_articles (q->f) > 0 && !dtx_window_is_loading (q->f->window) && n_outside_category (q) == 0;
}

/* The whole first page again, with articles of other categories; the list
 * may have gone on to the site's next pages, as a short list does. */
static gboolean
every_category (gpointer data)
{
  RowQuery *q = data;

  return n_articles (q->f) >= 8 && !dtx_window_is_loading (q->f->window) && n_outside_category (q) > 0;
}

static guint
n_stored_in (Fixture *f, const char *category)
{
  g_autoptr(GPtrArray) rows = stored (f, DTX_STORE_LIST_ALL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const char * const *categories = dtx_article_get_categories (g_ptr_array_index (rows, i));

      n += categories != NULL && g_strv_contains (categories, category);
    }
  return n;
}

/* A WordPress source's categories (with counts) sit under it once it is
 * selected; choosing one lists only its articles. */
static void
test_category_filter (Fixture *f, gconstpointer data)
{
  const char *urls[] = { dtx_test_site_get_url (f->site), NULL };
  RowQuery query = { f, dtx_test_site_get_url (f->site), "Aplikasi" };
  DtxSource *source;
  GtkWidget *row;

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the articles"));
  g_assert_true (dtx_test_wait_until (categories_listed, &query, "the categories under the source"));
  source = dtx_source_manager_lookup (manager_of (f), query.url);
  row = dtx_sidebar_get_row (sidebar_of (f), source, "Aplikasi");
  /* The count the site reports. */
  g_assert_nonnull (dtx_test_find_widget (row, is_count_label, "12"));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (sidebar_of (f)), "Gadget & Gawai"));

  /* Chosen as a user does: the row of the list box. */
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_assert_cmpstr (dtx_sidebar_get_selected_category (sidebar_of (f)), ==, "Aplikasi");
  g_assert_true (dtx_test_wait_until (only_category, &query, "only its articles"));
  /* All of them that are stored: four on the first page, more if the list
   * read on to fill the view. */
  g_assert_cmpuint (n_articles (f), ==, n_stored_in (f, "Aplikasi"));
  g_assert_cmpuint (n_articles (f), >=, 4);

  /* Back to the whole source. */
  row = dtx_sidebar_get_row (sidebar_of (f), source, NULL);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_assert_null (dtx_sidebar_get_selected_category (sidebar_of (f)));
  g_assert_true (dtx_test_wait_until (every_category, &query, "every article again"));

  /* Another source selected: its categories are not shown. */
  row = dtx_sidebar_get_row (sidebar_of (f), NULL, NULL);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (row)), GTK_LIST_BOX_ROW (row));
  g_assert_null (dtx_window_get_source (f->window));
  g_assert_false (gtk_widget_get_visible (dtx_sidebar_get_row (sidebar_of (f), source, "Aplikasi")));
}

typedef struct {
  Fixture *f;
  char    *url;
} Removal;

static gboolean
source_gone_from_store (gpointer data)
{
  Removal *r = data;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  dtx_store_list_sources_async (dtx_context_get_store (r->f->context), NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  rows = dtx_store_list_sources_finish (dtx_context_get_store (r->f->context), result, NULL);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    if (g_str_equal (((DtxStoreSource *)g_ptr_array_index (rows, i))->url, r->url))
      return FALSE;
  return rows != NULL;
}

static gboolean
remove_toast_shown (gpointer data)
{
  Fixture *f = data;

  return find_label_containing (GTK_WIDGET (f->window), "removed") != NULL;
}

/* Remove: the row goes at once, a toast offers Undo; Undo brings it back,
 * and only a toast gone without Undo removes it for good. */
static void
test_remove_source_then_undo (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (other), NULL };
  RowQuery query = { f, dtx_test_site_get_url (other), NULL };
  Removal removal = { f, (char *)dtx_test_site_get_url (other) };
  g_autoptr(DtxSource) source = NULL;

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (row_shown, &query, "the second source"));
  source = g_object_ref (dtx_source_manager_lookup (manager_of (f), query.url));
  dtx_window_select_source (f->window, source);
  g_assert_true (dtx_window_get_source (f->window) == source);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove-source", "s", ""));
  g_assert_null (dtx_sidebar_get_row (sidebar_of (f), source, NULL));
  g_assert_true (dtx_window_get_removed_source (f->window) == source);
  /* Its list is gone too: All Articles shows. */
  g_assert_null (dtx_window_get_source (f->window));
  g_assert_true (dtx_test_wait_until (remove_toast_shown, f, "the toast with Undo"));
  dtx_test_spin (200);
  /* Still stored until the toast goes. */
  g_assert_false (source_gone_from_store (&removal));
  g_assert_nonnull (dtx_source_manager_lookup (manager_of (f), query.url));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-remove-source", NULL));
  g_assert_nonnull (dtx_sidebar_get_row (sidebar_of (f), source, NULL));
  g_assert_true (dtx_window_get_source (f->window) == source);
  g_assert_null (dtx_window_get_removed_source (f->window));
  dtx_test_spin (200);
  g_assert_false (source_gone_from_store (&removal));

  /* Again, and the toast goes without Undo: removed for good. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove-source", "s", query.url));
  g_assert_null (dtx_sidebar_get_row (sidebar_of (f), source, NULL));
  g_assert_nonnull (dtx_window_get_remove_toast (f->window));
  g_assert_true (dtx_test_wait_until (remove_toast_shown, f, "the second toast"));
  dtx_test_spin (300); /* its show animation (dismissing during it crashes libadwaita 1.2) */
  adw_toast_dismiss (dtx_window_get_remove_toast (f->window));
  g_assert_true (dtx_test_wait_until (source_gone_from_store, &removal, "the source to leave the store"));
  g_assert_null (dtx_source_manager_lookup (manager_of (f), query.url));
  g_assert_null (dtx_sidebar_get_row (sidebar_of (f), source, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager_of (f))), ==, 1);

  /* A window that closes with a removal pending carries it out. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove-source", "s",
                                             dtx_test_site_get_url (f->site)));
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  removal.url = (char *)dtx_test_site_get_url (f->site);
  g_assert_true (dtx_test_wait_until (source_gone_from_store, &removal, "the pending removal"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager_of (f))), ==, 0);
}

static gboolean
source_title_is (gpointer data)
{
  Fixture *f = data;
  DtxSource *source = dtx_window_get_source (f->window);

  return source != NULL && dtx_test_find_label (GTK_WIDGET (sidebar_of (f)), "Situs Saya") != NULL;
}

static gboolean
is_message_dialog (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **)data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

/* Rename (a dialog with the name filled in) and reorder from the row's menu
 * actions. */
static void
test_rename_and_move_source (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (other), NULL };
  RowQuery query = { f, dtx_test_site_get_url (other), NULL };
  AdwMessageDialog *dialog = NULL;
  DtxSource *source;
  GtkWidget *entry;
  g_autofree char *own_title = NULL;

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (row_shown, &query, "the second source"));
  source = dtx_source_manager_lookup (manager_of (f), query.url);
  dtx_window_select_source (f->window, source);
  own_title = g_strdup (dtx_source_get_title (source));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.rename-source", "s", ""));
  g_assert_true (dtx_test_wait_until (is_message_dialog, &dialog, "the Rename dialog"));
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, dtx_source_get_title (source));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Situs Saya");
  adw_message_dialog_response (dialog, "rename");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Situs Saya");
  g_assert_true (dtx_test_wait_until (source_title_is, f, "the new name in the sidebar"));

  /* Second of two: Move Up makes it first; Move Down again last. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.move-source-up", "s", query.url));
  {
    g_autoptr(DtxSource) first = g_list_model_get_item (G_LIST_MODEL (manager_of (f)), 0);
    g_assert_true (first == source);
  }
  g_assert_true (gtk_widget_get_prev_sibling (dtx_sidebar_get_row (sidebar_of (f), source, NULL)) ==
                 dtx_sidebar_get_row (sidebar_of (f), NULL, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.move-source-down", "s", query.url));
  {
    g_autoptr(DtxSource) second = g_list_model_get_item (G_LIST_MODEL (manager_of (f)), 1);
    g_assert_true (second == source);
  }
  /* Still selected through the moves. */
  g_assert_true (dtx_window_get_source (f->window) == source);

  /* An empty name goes back to the site's own. */
  dialog = NULL;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.rename-source", "s", query.url));
  g_assert_true (dtx_test_wait_until (is_message_dialog, &dialog, "the Rename dialog"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "");
  adw_message_dialog_response (dialog, "rename");
  g_assert_cmpstr (dtx_source_get_title (source), ==, own_title);
  g_assert_null (dtx_source_get_custom_title (source));
}

typedef struct {
  DtxTestSite *site;
  guint        count;
} Requests;

static gboolean
asked_again (gpointer data)
{
  Requests *r = data;

  return dtx_test_site_count_requests (r->site, "/wp-json/wp/v2/posts") > r->count;
}

static gboolean
not_refreshing (gpointer data)
{
  Fixture *f = data;

  return !dtx_source_manager_get_refreshing (manager_of (f)) && state_is_not_loading (f);
}

/* Refresh (F5): the selected source only; under All Articles, every source. */
static void
test_refresh_selected_or_all (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (other), NULL };
  Requests mine = { f->site, 0 }, theirs = { other, 0 };

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the first refresh"));

  mine.count = dtx_test_site_count_requests (f->site, "/wp-json/wp/v2/posts");
  theirs.count = dtx_test_site_count_requests (other, "/wp-json/wp/v2/posts");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (asked_again, &mine, "the selected source to be refreshed"));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the refresh"));
  g_assert_cmpuint (dtx_test_site_count_requests (other, "/wp-json/wp/v2/posts"), ==, theirs.count);

  dtx_window_select_source (f->window, NULL);
  g_assert_null (dtx_window_get_source (f->window));
  mine.count = dtx_test_site_count_requests (f->site, "/wp-json/wp/v2/posts");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (asked_again, &mine, "the first source in a refresh of all"));
  g_assert_true (dtx_test_wait_until (asked_again, &theirs, "the second source in a refresh of all"));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the refresh of all"));
  /* Both sites' articles under All Articles: the same posts, twice. */
  g_assert_cmpuint (n_articles (f), >=, 16);
}

/* A source whose refresh fails shows a warning with the reason; the others
 * keep working, with no error page over All Articles. */
static void
test_failing_source_warns (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) broken = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (broken), NULL };
  RowQuery query = { f, dtx_test_site_get_url (broken), NULL };
  DtxSource *source;
  GtkWidget *row, *warning;

  dtx_test_site_set_mode (broken, DTX_TEST_SITE_SERVER_ERROR);
  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the first refresh"));
  dtx_window_select_source (f->window, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "a refresh of all"));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the working source's articles"));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
  g_assert_false (dtx_window_is_offline_banner_shown (f->window));

  source = dtx_source_manager_lookup (manager_of (f), query.url);
  g_assert_nonnull (dtx_source_get_error (source));
  row = dtx_sidebar_get_row (sidebar_of (f), source, NULL);
  warning = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  warning = gtk_widget_get_prev_sibling (warning);
  g_assert_true (GTK_IS_IMAGE (warning));
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (warning), ==, dtx_source_get_error (source));
}

static gboolean
report_shown (gpointer data)
{
  AdwMessageDialog **dialog = data;

  return is_message_dialog (dialog) &&
         g_strcmp0 (adw_message_dialog_get_heading (*dialog), "Subscriptions Imported") == 0;
}

/* Import Subscriptions… in the window: the sources appear in the sidebar,
 * and a dialog says what was added, skipped and why one failed. */
static void
test_import_opml_in_window (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), NULL };
  RowQuery query = { f, dtx_test_site_get_url (other), NULL };
  g_autofree char *dir = g_dir_make_tmp ("dtx-opml-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "langganan.opml", NULL);
  g_autofree char *opml = NULL;
  g_autoptr(GFile) file = NULL;
  AdwMessageDialog *dialog = NULL;
  const char *body;

  opml = g_strdup_printf ("<opml version=\"2.0\"><body>"
                          "<outline text=\"A\" xmlUrl=\"%s\"/><outline text=\"B\" xmlUrl=\"%s\"/>"
                          "<outline text=\"Mati\" xmlUrl=\"http://127.0.0.1:1/feed.xml\"/></body></opml>",
                          dtx_test_site_get_url (f->site), dtx_test_site_get_url (other));
  g_assert_true (g_file_set_contents (path, opml, -1, NULL));
  file = g_file_new_for_path (path);

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  dtx_window_import_opml (f->window, file);
  g_assert_true (dtx_test_wait_until (report_shown, &dialog, "the import's report"));
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "Added 1 source."));
  g_assert_nonnull (strstr (body, "1 was skipped as a duplicate."));
  g_assert_nonnull (strstr (body, "1 could not be added."));
  g_assert_nonnull (strstr (body, "http://127.0.0.1:1/feed.xml: "));
  g_assert_true (dtx_test_wait_until (row_shown, &query, "the imported source in the sidebar"));
  adw_message_dialog_response (dialog, "close");
  g_remove (path);
  g_rmdir (dir);
}

/* A start with no source named: every followed source under "All
 * Articles", refreshed at once. */
static void
test_start_shows_all (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) other = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (other), NULL };

  follow_only (f, urls);
  f->window = dtx_window_new (NULL, f->context, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_null (dtx_window_get_source (f->window));
  g_assert_null (dtx_sidebar_get_selected_source (sidebar_of (f)));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the first refresh of all"));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the articles of every source"));
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/wp-json/wp/v2/posts"), >=, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (other, "/wp-json/wp/v2/posts"), >=, 1);
  /* A screenful first, the rest right after. */
  g_assert_true (dtx_test_wait_until (has_16_articles, f, "both sources' articles"));
  g_assert_cmpuint (n_articles (f), ==, 16);
}

static gboolean
is_progress_bar (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_PROGRESS_BAR (widget);
}

static gboolean
half_done (gpointer data)
{
  Fixture *f = data;
  GtkWidget *bar = dtx_test_find_widget (GTK_WIDGET (f->window), is_progress_bar, NULL);

  return gtk_widget_get_mapped (bar) && G_APPROX_VALUE (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)), 0.5, 0.01);
}

/* A refresh of all shows its progress under the header bar: one of two
 * sources done is half way, and the list stays usable meanwhile. */
static void
test_refresh_progress (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTestSite) slow = dtx_test_site_new ();
  const char *urls[] = { dtx_test_site_get_url (f->site), dtx_test_site_get_url (slow), NULL };
  GtkWidget *bar;

  follow_only (f, urls);
  open_window (f);
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the first refresh"));
  bar = dtx_test_find_widget (GTK_WIDGET (f->window), is_progress_bar, NULL);
  g_assert_false (gtk_widget_get_visible (bar));

  dtx_test_site_set_mode (slow, DTX_TEST_SITE_HANG);
  dtx_window_select_source (f->window, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  g_assert_true (dtx_test_wait_until (half_done, f, "the progress at one source of two"));
  g_assert_true (dtx_source_manager_get_refreshing (manager_of (f)));
  g_assert_true (dtx_test_wait_until (title_shown, f, "the list meanwhile"));

  /* The slow one times out (2 s here): its warning, and the bar goes. */
  g_assert_true (dtx_test_wait_until (not_refreshing, f, "the slow source to time out"));
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_nonnull (dtx_source_get_error (dtx_source_manager_lookup (manager_of (f), urls[1])));
  g_assert_cmpstr (dtx_window_get_list_state (f->window), ==, "list");
}

static gboolean
sidebar_hidden (gpointer data)
{
  Fixture *f = data;

  return !gtk_widget_get_child_visible (GTK_WIDGET (sidebar_of (f))) ||
         !gtk_widget_get_mapped (GTK_WIDGET (sidebar_of (f)));
}

static gboolean
sidebar_mapped (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (sidebar_of (f)));
}

/* A narrow window folds the sidebar behind a button (F9). */
static void
test_narrow_folds_sidebar (Fixture *f, gconstpointer data)
{
  const char *urls[] = { dtx_test_site_get_url (f->site), NULL };
  AdwFlap *flap;

  follow_only (f, urls);
  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 480, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dtx_test_wait_until (sources_loaded, f, "the sources"));
  flap = ADW_FLAP (gtk_widget_get_ancestor (GTK_WIDGET (sidebar_of (f)), ADW_TYPE_FLAP));
  g_assert_true (dtx_test_wait_until (sidebar_hidden, f, "the sidebar folded away"));
  g_assert_true (adw_flap_get_folded (flap));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-sidebar", NULL));
  g_assert_true (dtx_test_wait_until (sidebar_mapped, f, "the sidebar over the list"));
  /* Choosing a row folds it away again. */
  dtx_window_select_source (f->window, NULL);
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (dtx_sidebar_get_row (sidebar_of (f), NULL, NULL))),
                           GTK_LIST_BOX_ROW (dtx_sidebar_get_row (
                             sidebar_of (f), dtx_source_manager_lookup (manager_of (f), urls[0]), NULL)));
  g_assert_false (adw_flap_get_reveal_flap (flap));
}

static void
add (const char *path, DtxTestSiteMode mode, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down);
}

/* Web links have a default handler that cannot start (its program is
 * missing), as on a system where opening a link fails. */
static void
no_browser (const char *root)
{
  g_autofree char *apps = g_build_filename (root, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autofree char *data_home = g_build_filename (root, "data", NULL);
  g_autofree char *desktop = g_build_filename (apps, "dtx-broken-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *dirs = g_strdup_printf ("%s:/usr/local/share:/usr/share", data_home);

  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop,
                                      "[Desktop Entry]\nType=Application\nName=Broken Browser\n"
                                      "Exec=/nonexistent/dtx-browser %u\n"
                                      "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n", -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/http=dtx-broken-browser.desktop\n"
                                      "x-scheme-handler/https=dtx-broken-browser.desktop\n", -1, NULL));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_DIRS", dirs, TRUE);
}

/* What a widget that draws itself draws now, as its render nodes' text
 * (NULL: nothing). */
static char *
drawn (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return NULL;
  bytes = gsk_render_node_serialize (node);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

typedef struct {
  GtkWidget  *widget;
  const char *before;
} Drawing;

static gboolean
drawing_changed (gpointer data)
{
  Drawing *d = data;
  g_autofree char *now = drawn (d->widget);

  return g_strcmp0 (now, d->before) != 0;
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static GtkWidget *
show_alone (GtkWidget *widget, int width)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, -1);
  gtk_widget_set_valign (widget, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (dtx_test_wait_until (widget_mapped, widget, "the widget on screen"));
  return window;
}

/* A spinner turns while it spins, and draws nothing once stopped. */
static void
test_spinner_turns (void)
{
  GtkWidget *spinner = dtx_spinner_new ();
  GtkWidget *window = show_alone (spinner, 100);
  g_autofree char *first = NULL;
  g_autofree char *stopped = NULL;

  g_assert_null (drawn (spinner));
  dtx_spinner_set_spinning (DTX_SPINNER (spinner), TRUE);
  g_assert_true (dtx_spinner_get_spinning (DTX_SPINNER (spinner)));
  first = drawn (spinner);
  g_assert_nonnull (first);
  g_assert_true (dtx_test_wait_until (drawing_changed, &(Drawing){ spinner, first }, "the spinner to turn"));

  dtx_spinner_set_spinning (DTX_SPINNER (spinner), FALSE);
  stopped = drawn (spinner);
  g_assert_null (stopped);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Spinners in sight turn together, so a window draws one frame a step for
 * all of them: one started later takes up the same angle. */
static void
test_spinners_step_together (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *first = dtx_spinner_new ();
  GtkWidget *second = dtx_spinner_new ();
  GtkWidget *window;
  g_autofree char *start = NULL;

  gtk_box_append (GTK_BOX (box), first);
  gtk_box_append (GTK_BOX (box), second);
  window = show_alone (box, 100);
  dtx_spinner_set_spinning (DTX_SPINNER (first), TRUE);
  start = drawn (first);
  g_assert_true (dtx_test_wait_until (drawing_changed, &(Drawing){ first, start }, "the first spinner to turn"));

  dtx_spinner_set_spinning (DTX_SPINNER (second), TRUE);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *a = drawn (first);
      g_autofree char *b = drawn (second);

      g_assert_cmpstr (a, ==, b);
      g_assert_true (dtx_test_wait_until (drawing_changed, &(Drawing){ first, a }, "the spinners to turn"));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row's text follows its CSS font (a read title loses its weight), wraps
 * to the lines it may take, and is ellipsised on one line otherwise. */
static void
test_row_label (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = dtx_row_label_new ();
  GtkWidget *excerpt = dtx_row_label_new ();
  const char *text = "Kamera ponsel menengah kini merekam video malam yang jernih tanpa tripod";
  g_autofree char *regular = NULL;
  g_autofree char *bold = NULL;
  GtkWidget *window;
  int one_line;

  gtk_css_provider_load_from_data (css, ".bold { font-weight: bold; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  dtx_row_label_set_lines (DTX_ROW_LABEL (title), 3);
  dtx_row_label_set_text (DTX_ROW_LABEL (title), text);
  dtx_row_label_set_text (DTX_ROW_LABEL (excerpt), text);
  g_assert_cmpstr (dtx_row_label_get_text (DTX_ROW_LABEL (title)), ==, text);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), excerpt);
  window = show_alone (box, 120);

  one_line = gtk_widget_get_height (excerpt);
  g_assert_cmpint (one_line, >, 0);
  g_assert_cmpint (gtk_widget_get_height (title), >, 2 * one_line);
  g_assert_cmpint (gtk_widget_get_height (title), <, 4 * one_line);

  regular = drawn (title);
  g_assert_nonnull (strstr (regular, "Kamera"));
  g_assert_null (strstr (regular, "Bold"));
  gtk_widget_add_css_class (title, "bold");
  g_assert_true (dtx_test_wait_until (drawing_changed, &(Drawing){ title, regular }, "the title restyled"));
  bold = drawn (title);
  g_assert_nonnull (strstr (bold, "Bold"));

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autofree char *root = g_dir_make_tmp ("dtx-window-test-XXXXXX", NULL);

  no_browser (root);
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();

  g_test_add_func ("/window/widgets/spinner-turns", test_spinner_turns);
  g_test_add_func ("/window/widgets/spinners-step-together", test_spinners_step_together);
  g_test_add_func ("/window/widgets/row-label", test_row_label);
  add ("/window/list/first-page", DTX_TEST_SITE_NORMAL, test_first_page_listed);
  add ("/window/list/load-more-on-scroll", DTX_TEST_SITE_NORMAL, test_load_more_on_scroll);
  add ("/window/list/rest-disabled-uses-feed", DTX_TEST_SITE_REST_DISABLED, test_rest_disabled_uses_feed);
  add ("/window/list/empty-site", DTX_TEST_SITE_EMPTY, test_empty_site);
  add ("/window/list/thumbnail-kept-on-disk", DTX_TEST_SITE_NORMAL, test_thumbnail_kept_on_disk);
  add ("/window/list/thumbnail-trim", DTX_TEST_SITE_NORMAL, test_thumbnail_trim);
  add ("/window/list/thumbnail-failure-kept", DTX_TEST_SITE_NORMAL, test_thumbnail_failure_kept);
  add ("/window/reader/warm-up", DTX_TEST_SITE_NORMAL, test_reader_warm_up);
  add ("/window/reader/open-article", DTX_TEST_SITE_NORMAL, test_open_article);
  add ("/window/reader/open-url", DTX_TEST_SITE_NORMAL, test_open_url);
  add ("/window/reader/failed-url-no-browser-button", DTX_TEST_SITE_NORMAL, test_failed_url_no_browser_button);
  add ("/window/reader/zoom", DTX_TEST_SITE_NORMAL, test_zoom);
  add ("/window/errors/server-error", DTX_TEST_SITE_SERVER_ERROR, test_server_error_message);
  add ("/window/errors/malformed-then-retry", DTX_TEST_SITE_MALFORMED, test_error_then_retry);
  add ("/window/errors/timeout-then-retry", DTX_TEST_SITE_HANG, test_error_then_retry);
  add ("/window/errors/slow-refresh-shows-progress", DTX_TEST_SITE_NORMAL, test_slow_refresh_shows_progress);
  add ("/window/errors/refresh-failure-keeps-list", DTX_TEST_SITE_NORMAL, test_refresh_failure_keeps_list);
  add ("/window/store/bookmark-with-ctrl-d", DTX_TEST_SITE_NORMAL, test_bookmark_with_ctrl_d);
  add ("/window/store/remove-bookmark-then-undo", DTX_TEST_SITE_NORMAL, test_remove_bookmark_then_undo);
  add ("/window/store/read-state", DTX_TEST_SITE_NORMAL, test_read_state);
  add ("/window/store/search-filters", DTX_TEST_SITE_NORMAL, test_search_filters);
  add ("/window/store/search-site", DTX_TEST_SITE_NORMAL, test_search_site);
  add ("/window/store/offline-start-shows-stored-list", DTX_TEST_SITE_NORMAL, test_offline_start_shows_stored_list);
  add ("/window/store/row-menu", DTX_TEST_SITE_NORMAL, test_row_menu);
  add ("/window/flow/narrow-arrow-keys-keep-list", DTX_TEST_SITE_NORMAL, test_narrow_arrow_keys_keep_list);
  add ("/window/flow/history-back-follows-list", DTX_TEST_SITE_NORMAL, test_history_back_follows_list);
  add ("/window/flow/launch-failure-toast", DTX_TEST_SITE_NORMAL, test_launch_failure_toast);
  add ("/window/flow/rest-500-lists-feed", DTX_TEST_SITE_REST_500, test_rest_failure_lists_feed);
  add ("/window/flow/rest-broken-json-lists-feed", DTX_TEST_SITE_REST_BROKEN, test_rest_failure_lists_feed);
  add ("/window/flow/feed-oldest-first-shown-newest-first", DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST, test_feed_oldest_first_shown_newest_first);
  add ("/window/flow/no-parser-text", DTX_TEST_SITE_MALFORMED, test_no_parser_text);
  add ("/window/flow/refresh-keeps-place", DTX_TEST_SITE_NORMAL, test_refresh_keeps_place);
  add ("/window/flow/row-shows-category", DTX_TEST_SITE_NORMAL, test_row_shows_category);
  add ("/window/flow/not-found-offers-browser", DTX_TEST_SITE_NORMAL, test_not_found_offers_browser);
  add ("/window/flow/placeholder-only-beside-list", DTX_TEST_SITE_SERVER_ERROR, test_placeholder_only_beside_list);
  add ("/window/sources/start-shows-all", DTX_TEST_SITE_NORMAL, test_start_shows_all);
  add ("/window/sources/import-opml", DTX_TEST_SITE_NORMAL, test_import_opml_in_window);
  add ("/window/sources/add-through-dialog", DTX_TEST_SITE_NORMAL, test_add_source_through_dialog);
  add ("/window/sources/add-cancel", DTX_TEST_SITE_NORMAL, test_add_source_cancel);
  add ("/window/sources/category-filter", DTX_TEST_SITE_NORMAL, test_category_filter);
  add ("/window/sources/remove-then-undo", DTX_TEST_SITE_NORMAL, test_remove_source_then_undo);
  add ("/window/sources/rename-and-move", DTX_TEST_SITE_NORMAL, test_rename_and_move_source);
  add ("/window/sources/refresh-selected-or-all", DTX_TEST_SITE_NORMAL, test_refresh_selected_or_all);
  add ("/window/sources/failing-source-warns", DTX_TEST_SITE_NORMAL, test_failing_source_warns);
  add ("/window/sources/refresh-progress", DTX_TEST_SITE_NORMAL, test_refresh_progress);
  add ("/window/sources/narrow-folds-sidebar", DTX_TEST_SITE_NORMAL, test_narrow_folds_sidebar);

  return g_test_run ();
}
