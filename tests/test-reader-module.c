/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reader view as the app gets it: a module loaded on first use, and
 * WebKit absent from the program until then. */
#define G_LOG_DOMAIN "test-reader-module"
#include "config.h"

#include "dtx-reader-loader.h"
#include "dtx-source.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"

static gboolean
webkit_mapped (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "libwebkitgtk-6.0") != NULL;
}

static gboolean
is_web_view (GtkWidget *widget, gconstpointer data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), "WebKitWebView");
}

static GtkWidget *
find_web_view (GtkWidget *widget)
{
  return dtx_test_find_widget (widget, is_web_view, NULL);
}

static gboolean
titled (gpointer data)
{
  g_autofree char *title = NULL;

  g_object_get (data, "title", &title, NULL);
  return g_strcmp0 (title, "Dari Modul") == 0;
}

static void
test_load_and_show (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxTestSite) site = dtx_test_site_new ();
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxSource) source = dtx_source_new (fetcher, dtx_test_site_get_url (site));
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autoptr(DtxArticle) shown = NULL;
  g_autofree char *link = g_strdup_printf ("%s/artikel/", dtx_test_site_get_url (site));
  GtkWindow *window;
  GtkWidget *reader;
  GtkWidget *web_view;
  GType type;

  g_assert_false (webkit_mapped ());

  type = dtx_reader_loader_get_type (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_type_name (type), ==, "DtxReaderView");
  g_assert_true (webkit_mapped ());
  g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));
  g_assert_cmpuint (dtx_reader_loader_get_type (NULL), ==, type);

  dtx_article_set_title (article, "Dari Modul");
  dtx_article_set_link (article, link);
  dtx_article_set_content (article, "<p>Isi dari modul.</p>");

  reader = g_object_new (type, "source", source, NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, reader);
  gtk_window_present (window);
  g_object_set (reader, "article", article, NULL);
  g_object_get (reader, "article", &shown, NULL);
  g_assert_true (shown == article);

  web_view = find_web_view (reader);
  g_assert_nonnull (web_view);
  /* The article reached the page. */
  g_assert_true (dtx_test_wait_until (titled, web_view, "the article's title in the page"));
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();

  g_test_add_func ("/reader-module/loaded-on-first-use", test_load_and_show);

  return g_test_run ();
}
