/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Thumbnails in the real window: each image is asked of the site once, and
 * clicking rows (which rebinds them) asks for none again, whether the image
 * decoded, would not decode, or was not found. */
#define G_LOG_DOMAIN "test-thumbnails"
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "dtx-article-row.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"
#include "dtx-window-private.h"

#define FIRST_TITLE "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya"
#define SECOND_TITLE "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh"
#define BROKEN_TITLE "Gambar Rusak"
#define MISSING_TITLE "Gambar Hilang"

typedef struct {
  DtxTestSite *site;
  DtxFetcher  *fetcher;
  DtxContext  *context;
  char        *dir;
  DtxWindow   *window;
} Fixture;

static DtxArticle *
stored_article (Fixture    *f,
                const char *title,
                const char *slug,
                const char *image,
                int         days_ahead)
{
  DtxArticle *article = dtx_article_new ();
  g_autofree char *link = g_strdup_printf ("%s/%s/", dtx_test_site_get_url (f->site), slug);
  g_autofree char *image_url = g_strdup_printf ("%s/wp-content/uploads/2024/05/%s",
                                                dtx_test_site_get_url (f->site), image);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) date = g_date_time_add_days (now, days_ahead);

  dtx_article_set_title (article, title);
  dtx_article_set_link (article, link);
  dtx_article_set_date (article, date);
  dtx_article_set_image_url (article, image_url);
  dtx_article_set_content (article, "<p>Isi artikel.</p>");
  return article;
}

/* Two stored articles lead the list: one whose image will not decode, one
 * whose image is not on the site. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *store_path = NULL;
  g_autoptr(DtxStore) store = NULL;
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(GPtrArray) articles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->site = dtx_test_site_new ();
  f->fetcher = dtx_fetcher_new ();
  dtx_fetcher_set_timeout (f->fetcher, 5);
  f->dir = g_dir_make_tmp ("dtx-thumbnails-test-XXXXXX", NULL);
  store_path = g_build_filename (f->dir, "store.db", NULL);
  store = dtx_store_new (store_path);
  f->context = dtx_context_new (f->fetcher, store);

  source = dtx_source_new (f->fetcher, dtx_test_site_get_url (f->site));
  g_ptr_array_add (articles, stored_article (f, BROKEN_TITLE, "gambar-rusak", "rusak.jpg", 2));
  g_ptr_array_add (articles, stored_article (f, MISSING_TITLE, "gambar-hilang", "hilang.jpg", 1));
  dtx_store_save_articles_async (store, dtx_source_get_url (source), articles, NULL,
                                 dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  g_assert_true (dtx_store_save_articles_finish (store, result, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->site, dtx_test_site_free);
  dtx_test_spin (50);
  g_free (f->dir);
}

static gboolean
is_row_of (GtkWidget *widget, gconstpointer title)
{
  return DTX_IS_ARTICLE_ROW (widget) && gtk_widget_get_mapped (widget) &&
         dtx_article_row_get_article (DTX_ARTICLE_ROW (widget)) != NULL &&
         g_strcmp0 (dtx_article_get_title (dtx_article_row_get_article (DTX_ARTICLE_ROW (widget))), title) == 0;
}

static GtkWidget *
find_row (Fixture *f, const char *title)
{
  return dtx_test_find_widget (GTK_WIDGET (f->window), is_row_of, title);
}

/* The site path of the image a row shows. */
static char *
image_path (Fixture *f, const char *title)
{
  GtkWidget *row = find_row (f, title);
  const char *url = dtx_article_get_image_url (dtx_article_row_get_article (DTX_ARTICLE_ROW (row)));

  g_assert_true (g_str_has_prefix (url, dtx_test_site_get_url (f->site)));
  return g_strdup (url + strlen (dtx_test_site_get_url (f->site)));
}

static const char * const titles[] = { BROKEN_TITLE, MISSING_TITLE, FIRST_TITLE, SECOND_TITLE };

static gboolean
rows_shown (gpointer data)
{
  Fixture *f = data;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (find_row (f, titles[i]) == NULL)
      return FALSE;
  return !dtx_window_is_loading (f->window);
}

typedef struct {
  Fixture  *f;
  char    **paths;
} Paths;

static gboolean
each_image_asked_once (gpointer data)
{
  Paths *p = data;

  for (guint i = 0; p->paths[i] != NULL; i++)
    if (dtx_test_site_count_requests (p->f->site, p->paths[i]) < 1)
      return FALSE;
  return TRUE;
}

typedef struct {
  Fixture    *f;
  const char *title;
} Shown;

static gboolean
reader_shows (gpointer data)
{
  Shown *s = data;
  DtxReaderView *reader = dtx_test_reader_of (s->f->window);
  DtxArticle *article = reader ? dtx_reader_view_get_article (reader) : NULL;

  return article != NULL && g_strcmp0 (dtx_article_get_title (article), s->title) == 0 &&
         !dtx_reader_view_is_rendering (reader) &&
         !webkit_web_view_is_loading (dtx_reader_view_get_web_view (reader)) &&
         dtx_article_get_read (article);
}

static gboolean
reader_made (gpointer data)
{
  Fixture *f = data;

  return dtx_test_reader_of (f->window) != NULL;
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
    dtx_test_spin (100);
    g_assert_true (g_spawn_sync (NULL, (char **)click, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
  }
}

static void
test_click_fetches_no_thumbnail (Fixture *f, gconstpointer data)
{
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (titles) + 1);
  Paths all = { f, paths };

  f->window = dtx_window_new (NULL, f->context, dtx_test_site_get_url (f->site));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (dtx_test_wait_until (rows_shown, f, "the stored and fetched rows"));

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    paths[i] = image_path (f, titles[i]);
  g_assert_true (dtx_test_wait_until (each_image_asked_once, &all, "every row's image to be asked for"));
  /* Whatever else was still on its way arrives. */
  dtx_test_spin (500);
  for (guint i = 0; paths[i] != NULL; i++)
    g_assert_cmpuint (dtx_test_site_count_requests (f->site, paths[i]), ==, 1);

  /* The reader would ask for the same images for its own page: it is told
   * not to, so every request counted here is a thumbnail's. It exists once
   * the list is in and nothing loads (the warm-up). */
  g_assert_true (dtx_test_wait_until (reader_made, f, "the reader's warm-up"));
  g_object_set (webkit_web_view_get_settings (dtx_reader_view_get_web_view (dtx_test_reader_of (f->window))),
                "auto-load-images", FALSE, NULL);

  /* Each row clicked (the reader shows it, the store marks it read, the
   * row rebinds), then the first again. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        Shown shown = { f, titles[i] };

        click_widget (f, find_row (f, titles[i]));
        g_assert_true (dtx_test_wait_until (reader_shows, &shown, titles[i]));
      }
  dtx_test_spin (500);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_test_message ("%s: %u request(s)", paths[i], dtx_test_site_count_requests (f->site, paths[i]));
      g_assert_cmpuint (dtx_test_site_count_requests (f->site, paths[i]), ==, 1);
    }
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("dtx-thumbnails-cache-XXXXXX", NULL);

  /* A cache of this run's own: every image starts unseen. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();

  g_test_add ("/thumbnails/click-fetches-none", Fixture, NULL,
              fixture_set_up, test_click_fetches_no_thumbnail, fixture_tear_down);
  return g_test_run ();
}
