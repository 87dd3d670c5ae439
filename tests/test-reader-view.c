/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reader view in a real window: what untrusted HTML can and cannot do,
 * where links go, crash recovery, dark mode and zoom. */
#define G_LOG_DOMAIN "test-reader-view"
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "dtx-reader-view.h"
#include "dtx-test-site.h"
#include "dtx-test-ui.h"

static char *browser_log; /* where the fake default browser writes the URIs it gets */

typedef struct {
  DtxTestSite   *site;
  DtxFetcher    *fetcher;
  DtxSource     *source;
  GtkWindow     *window;
  DtxReaderView *reader;
  char          *opened; /* last ::open-article */
} Fixture;

static void
on_open_article (DtxReaderView *reader, const char *url, Fixture *f)
{
  g_free (f->opened);
  f->opened = g_strdup (url);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->site = dtx_test_site_new ();
  f->fetcher = dtx_fetcher_new ();
  f->source = dtx_source_new (f->fetcher, dtx_test_site_get_url (f->site));
  f->reader = DTX_READER_VIEW (dtx_reader_view_new (f->source));
  g_signal_connect (f->reader, "open-article", G_CALLBACK (on_open_article), f);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 800, 600);
  gtk_window_set_child (f->window, GTK_WIDGET (f->reader));
  gtk_window_present (f->window);
  g_remove (browser_log);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->source);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->site, dtx_test_site_free);
  g_clear_pointer (&f->opened, g_free);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

static DtxArticle *
make_article (Fixture *f, const char *title, const char *content)
{
  DtxArticle *article = dtx_article_new ();
  g_autofree char *link = g_strdup_printf ("%s/artikel-uji/", dtx_test_site_get_url (f->site));
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);
  const char *categories[] = { "Aplikasi", NULL };

  dtx_article_set_title (article, title);
  dtx_article_set_link (article, link);
  dtx_article_set_author (article, "Redaksi Contoh");
  dtx_article_set_date (article, date);
  dtx_article_set_categories (article, categories);
  dtx_article_set_content (article, content);
  return article;
}

static WebKitWebView *
show (Fixture *f, DtxArticle *article)
{
  WebKitWebView *web_view = dtx_reader_view_get_web_view (f->reader);

  dtx_reader_view_show_article (f->reader, article);
  g_assert_true (dtx_test_wait_loaded (web_view));
  return web_view;
}

static void
assert_eval (WebKitWebView *web_view, const char *script, const char *expected)
{
  g_autofree char *result = dtx_test_eval_string (web_view, script);

  g_assert_cmpstr (result, ==, expected);
}

static void
test_render_escapes_metadata (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  const char *categories[] = { "Gadget & Gawai", NULL };

  dtx_article_set_title (article, "<img src=x onerror=alert(1)> & \"judul\"");
  dtx_article_set_author (article, "<b>Penulis</b>");
  dtx_article_set_categories (article, categories);
  dtx_article_set_link (article, "https://example.id/a/");
  dtx_article_set_image_url (article, "javascript:alert(1)");
  dtx_article_set_content (article, "<p>Isi</p><script>alert(1)</script>");

  light = dtx_reader_view_render_html (article, FALSE);
  g_assert_nonnull (strstr (light, "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;judul&quot;"));
  g_assert_null (strstr (light, "<img src=x"));
  g_assert_nonnull (strstr (light, "By &lt;b&gt;Penulis&lt;/b&gt;"));
  g_assert_nonnull (strstr (light, "Gadget &amp; Gawai"));
  g_assert_null (strstr (light, "<script"));
  g_assert_null (strstr (light, "javascript:"));
  g_assert_nonnull (strstr (light, "Content-Security-Policy"));
  g_assert_nonnull (strstr (light, "script-src 'none'"));
  g_assert_nonnull (strstr (light, "class=\"light\""));

  dark = dtx_reader_view_render_html (article, TRUE);
  g_assert_nonnull (strstr (dark, "class=\"dark\""));
}

static void
test_render_non_web_link (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autofree char *html = NULL;

  /* A feed may give any scheme as an item's link: no footer link to it. */
  dtx_article_set_title (article, "Judul");
  dtx_article_set_link (article, "file:///etc/passwd");
  dtx_article_set_content (article, "<p>Isi</p>");
  html = dtx_reader_view_render_html (article, FALSE);
  g_assert_null (strstr (html, "file:"));
  g_assert_null (strstr (html, "open-in-browser"));
  g_assert_nonnull (strstr (html, "<p>Isi</p>"));
}

static void
test_hostile_content_inert (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul Aman",
    "<p id=\"isi\">Isi artikel.</p>"
    "<img src=\"x\" onerror=\"document.title='pwned'\">"
    "<script>document.title='pwned'</script>"
    "<svg><script>document.title='pwned'</script></svg>"
    "<a href=\"javascript:document.title='pwned'\">tautan</a>"
    "<iframe src=\"https://evil.invalid/\"></iframe>"
    "<form action=\"https://evil.invalid/\"><input name=\"q\"></form>"
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.invalid/\">");
  WebKitWebView *web_view = show (f, article);

  assert_eval (web_view, "document.title", "Judul Aman");
  assert_eval (web_view, "String(document.querySelectorAll('script, iframe, form, input, meta[http-equiv=refresh], svg').length)", "0");
  assert_eval (web_view, "String([...document.querySelectorAll('*')].some(e => [...e.attributes].some(a => a.name.startsWith('on'))))", "false");
  assert_eval (web_view, "document.getElementById('isi').textContent", "Isi artikel.");
  assert_eval (web_view, "document.querySelector('.byline').textContent", "By Redaksi Contoh · 3 May 2024, 02:30");
  assert_eval (web_view, "document.querySelector('.category').textContent", "Aplikasi");
  /* The reader itself was not navigated anywhere. */
  g_assert_true (g_str_has_suffix (webkit_web_view_get_uri (web_view), "/artikel-uji/"));
}

static gboolean
browser_got_uri (gpointer data)
{
  return g_file_test (browser_log, G_FILE_TEST_EXISTS);
}

static gboolean
open_article_emitted (gpointer data)
{
  return ((Fixture *)data)->opened != NULL;
}

static void
test_links (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Tautan",
    "<p><a id=\"dalam\" href=\"/artikel-lain/\">dalam</a> "
    "<a id=\"luar\" href=\"https://elsewhere.invalid/halaman\">luar</a></p>");
  WebKitWebView *web_view = show (f, article);
  g_autofree char *expected = g_strdup_printf ("%s/artikel-lain/", dtx_test_site_get_url (f->site));
  g_autofree char *launched = NULL;

  /* Another article of the same site opens in the reader. */
  assert_eval (web_view, "document.getElementById('dalam').click(); 'ok'", "ok");
  g_assert_true (dtx_test_wait_until (open_article_emitted, f, "::open-article"));
  g_assert_cmpstr (f->opened, ==, expected);
  g_assert_false (g_file_test (browser_log, G_FILE_TEST_EXISTS));

  /* Any other link goes to the default browser; the reader stays put. */
  assert_eval (web_view, "document.getElementById('luar').click(); 'ok'", "ok");
  g_assert_true (dtx_test_wait_until (browser_got_uri, f, "the browser to be launched"));
  dtx_test_spin (200);
  g_assert_true (g_file_get_contents (browser_log, &launched, NULL, NULL));
  g_assert_cmpstr (g_strstrip (launched), ==, "https://elsewhere.invalid/halaman");
  g_assert_true (g_str_has_suffix (webkit_web_view_get_uri (web_view), "/artikel-uji/"));
}

static void
test_open_in_browser_link (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul", "<p>Isi</p>");
  WebKitWebView *web_view = show (f, article);
  g_autofree char *launched = NULL;

  /* The footer link is the article's own page: it goes to the browser. */
  assert_eval (web_view, "document.querySelector('.open-in-browser').textContent", "Open in Browser");
  assert_eval (web_view, "document.querySelector('.open-in-browser').click(); 'ok'", "ok");
  g_assert_true (dtx_test_wait_until (browser_got_uri, f, "the browser to be launched"));
  dtx_test_spin (200);
  g_assert_true (g_file_get_contents (browser_log, &launched, NULL, NULL));
  g_assert_cmpstr (g_strstrip (launched), ==, dtx_article_get_link (article));
  g_assert_null (f->opened);
}

/* A reload or a step back would load the live page at the article's address
 * in place of the sanitised copy. */
static void
test_stays_on_article (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) first = make_article (f, "Pertama", "<p id=\"isi\">Artikel pertama.</p>");
  g_autoptr(DtxArticle) second = make_article (f, "Kedua", "<p id=\"isi\">Artikel kedua.</p>");
  WebKitWebView *web_view;

  show (f, first);
  web_view = show (f, second);

  webkit_web_view_reload (web_view);
  dtx_test_spin (500);
  assert_eval (web_view, "document.getElementById('isi').textContent", "Artikel kedua.");

  webkit_web_view_go_back (web_view);
  dtx_test_spin (500);
  assert_eval (web_view, "document.getElementById('isi').textContent", "Artikel kedua.");
}

/* A meta refresh that reached the page (inserted here by our own script, as
 * the sanitiser drops them) must not move the reader anywhere: only the
 * reader's own load is allowed, not a later navigation nobody clicked. */
static void
test_meta_refresh_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul", "<p id=\"isi\">Tetap di sini.</p>");
  WebKitWebView *web_view = show (f, article);
  g_autofree char *script = g_strdup_printf (
    "var m = document.createElement('meta'); m.httpEquiv = 'refresh';"
    "m.content = '0;url=%s/artikel-lain/'; document.head.appendChild(m); 'ok'",
    dtx_test_site_get_url (f->site));

  assert_eval (web_view, script, "ok");
  dtx_test_spin (1500);
  g_assert_true (g_str_has_suffix (webkit_web_view_get_uri (web_view), "/artikel-uji/"));
  assert_eval (web_view, "document.getElementById('isi').textContent", "Tetap di sini.");
  assert_eval (web_view, "location.href = '/artikel-lain/'; 'ok'", "ok");
  dtx_test_spin (1000);
  assert_eval (web_view, "document.getElementById('isi').textContent", "Tetap di sini.");
  g_assert_false (g_file_test (browser_log, G_FILE_TEST_EXISTS));
  g_assert_null (f->opened);
  g_assert_cmpuint (dtx_test_site_count_requests (f->site, "/artikel-lain/"), ==, 0);
}

static gboolean
image_marked_broken (gpointer data)
{
  g_autofree char *result = dtx_test_eval_string (data,
    "String(document.getElementById('rusak').classList.contains('dtx-broken'))");

  return g_strcmp0 (result, "true") == 0;
}

/* A broken image leaves nothing; a link without a target is plain text. */
static void
test_broken_image_and_dead_link (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul",
    "<figure><img id=\"rusak\" src=\"/wp-content/uploads/tidak-ada.jpg\" width=\"800\" height=\"450\">"
    "<figcaption>Keterangan</figcaption></figure>"
    "<p><a id=\"mati\" href=\"javascript:alert(1)\">tautan mati</a> <a id=\"hidup\" href=\"/lain/\">hidup</a></p>");
  WebKitWebView *web_view = show (f, article);

  g_assert_true (dtx_test_wait_until (image_marked_broken, web_view, "the broken image to be marked"));
  assert_eval (web_view, "getComputedStyle(document.getElementById('rusak').parentNode).display", "none");
  assert_eval (web_view, "String(document.getElementById('mati').hasAttribute('href'))", "false");
  assert_eval (web_view, "getComputedStyle(document.getElementById('mati')).textDecorationLine", "none");
  assert_eval (web_view, "getComputedStyle(document.getElementById('hidup')).textDecorationLine", "underline");
}

/* At 400 px the title takes a few lines and images stay inside. */
static void
test_narrow_layout (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f,
    "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya dan Apa Saja yang Berubah",
    "<p><img id=\"lebar\" src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\" width=\"1600\" height=\"900\"></p>"
    "<p>https://contoh.example/sebuah/alamat/yang/sangat/panjang/sekali/tanpa/spasi/sama/sekali/di/dalamnya</p>");
  WebKitWebView *web_view;

  gtk_window_set_default_size (f->window, 400, 700);
  dtx_test_spin (300);
  web_view = show (f, article);
  assert_eval (web_view,
    "var h = document.querySelector('h1'); String(Math.round(h.getBoundingClientRect().height / parseFloat(getComputedStyle(h).lineHeight)) <= 5)",
    "true");
  assert_eval (web_view,
    "String(document.getElementById('lebar').getBoundingClientRect().right <= document.documentElement.clientWidth)",
    "true");
  assert_eval (web_view, "String(document.documentElement.scrollWidth <= document.documentElement.clientWidth)", "true");
}

/* Moves the pointer (or clicks) over the element with id, as a user does. */
static void
pointer_at_element (Fixture *f, WebKitWebView *web_view, const char *id, const char *click)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong)gdk_x11_surface_get_xid (surface));
  g_autofree char *script = g_strdup_printf (
    "var r = document.getElementById('%s').getBoundingClientRect(); (r.left + 4) + ',' + (r.top + r.height / 2)", id);
  g_autofree char *where = dtx_test_eval_string (web_view, script);
  g_auto(GStrv) xy = g_strsplit (where, ",", 2);
  graphene_point_t p;
  double sx, sy;
  g_autofree char *x = NULL, *y = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (web_view), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (g_ascii_strtod (xy[0], NULL), g_ascii_strtod (xy[1], NULL)), &p));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  x = g_strdup_printf ("%d", (int)(p.x + sx));
  y = g_strdup_printf ("%d", (int)(p.y + sy));
  {
    const char *move[] = { "xdotool", "mousemove", "--window", xid, x, y, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **)move, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
  }
  dtx_test_spin (300);
  if (click != NULL)
    {
      const char *press[] = { "xdotool", "click", click, NULL };
      g_assert_true (g_spawn_sync (NULL, (char **)press, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
      g_assert_no_error (error);
      dtx_test_spin (500);
    }
}

static gboolean
hovered_link_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (dtx_reader_view_get_hovered_link (f->reader), "https://elsewhere.invalid/halaman") == 0;
}

static gboolean
is_shown_popover (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_POPOVER (widget) && gtk_widget_get_visible (widget);
}

static GtkWidget *
find_popover (GtkWidget *widget)
{
  return dtx_test_find_widget (widget, is_shown_popover, NULL);
}

static gboolean
label_contains (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
label_in (GtkWidget *widget, const char *text)
{
  return dtx_test_find_widget (widget, label_contains, text) != NULL;
}

/* Hovering a link shows where it leads; its menu opens or copies it and
 * has none of WebKit's open-here or download items. */
static void
test_link_hover_and_menu (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul",
    "<p style=\"font-size: 40px\"><a id=\"luar\" href=\"https://elsewhere.invalid/halaman\">tautan luar yang panjang</a></p>");
  WebKitWebView *web_view = show (f, article);
  GtkWidget *popover;

  g_assert_null (dtx_reader_view_get_hovered_link (f->reader));
  pointer_at_element (f, web_view, "luar", NULL);
  g_assert_true (dtx_test_wait_until (hovered_link_shown, f, "the link's address at the bottom"));
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->reader), "https://elsewhere.invalid/halaman"));

  pointer_at_element (f, web_view, "luar", "3");
  popover = find_popover (GTK_WIDGET (web_view));
  g_assert_nonnull (popover);
  g_assert_true (label_in (popover, "Open in Browser"));
  g_assert_true (label_in (popover, "Copy Link"));
  g_assert_false (label_in (popover, "Download"));
  g_assert_false (label_in (popover, "Open Link"));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static gboolean
crashed_page_shown (gpointer data)
{
  Fixture *f = data;

  return dtx_test_find_label (GTK_WIDGET (f->reader), "The Article View Stopped") != NULL;
}

static void
test_web_process_crash_recovers (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul", "<p id=\"isi\">Masih di sini.</p>");
  WebKitWebView *web_view = show (f, article);

  webkit_web_view_terminate_web_process (web_view);
  g_assert_true (dtx_test_wait_until (crashed_page_shown, f, "the reload page"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->reader), "reader.reload", NULL));
  g_assert_true (dtx_test_wait_loaded (web_view));
  g_assert_false (crashed_page_shown (f));
  assert_eval (web_view, "document.getElementById('isi').textContent", "Masih di sini.");
}

static gboolean
page_is_dark (gpointer data)
{
  g_autofree char *cls = dtx_test_eval_string (data, "document.documentElement.className");

  return g_strcmp0 (cls, "dark") == 0;
}

static void
test_follows_dark_mode (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = make_article (f, "Judul", "<p>Isi</p>");
  WebKitWebView *web_view = show (f, article);
  AdwStyleManager *style = adw_style_manager_get_default ();

  assert_eval (web_view, "document.documentElement.className", "light");
  assert_eval (web_view, "getComputedStyle(document.documentElement).backgroundColor", "rgb(255, 255, 255)");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (dtx_test_wait_until (page_is_dark, web_view, "the page to turn dark"));
  assert_eval (web_view, "getComputedStyle(document.documentElement).backgroundColor", "rgb(30, 30, 30)");

  /* An article opened while dark starts dark. */
  show (f, article);
  assert_eval (web_view, "document.documentElement.className", "dark");
}

static void
test_zoom_follows_settings (Fixture *f, gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  WebKitWebView *web_view = dtx_reader_view_get_web_view (f->reader);

  g_settings_set_double (settings, "zoom-level", 1.5);
  g_assert_cmpfloat_with_epsilon (webkit_web_view_get_zoom_level (web_view), 1.5, 0.001);
  g_settings_reset (settings, "zoom-level");
  g_assert_cmpfloat_with_epsilon (webkit_web_view_get_zoom_level (web_view), 1.0, 0.001);
}

/* A desktop file that takes http(s) URIs and writes them to browser_log,
 * made the default handler through XDG dirs private to this test. */
static void
install_fake_browser (const char *root)
{
  g_autofree char *apps = g_build_filename (root, "data", "applications", NULL);
  g_autofree char *config = g_build_filename (root, "config", NULL);
  g_autofree char *script = g_build_filename (root, "record-uri.sh", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop = NULL;
  g_autofree char *desktop_path = g_build_filename (apps, "dtx-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config, "mimeapps.list", NULL);
  g_autofree char *data_home = g_build_filename (root, "data", NULL);
  g_autofree char *dirs = NULL;

  browser_log = g_build_filename (root, "launched.txt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config, 0700), ==, 0);

  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" > '%s.tmp' && mv '%s.tmp' '%s'\n",
                                 browser_log, browser_log, browser_log);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0755), ==, 0);

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\nExec=%s %%u\n"
                             "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n", script);
  g_assert_true (g_file_set_contents (desktop_path, desktop, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\n"
                                      "x-scheme-handler/http=dtx-test-browser.desktop\n"
                                      "x-scheme-handler/https=dtx-test-browser.desktop\n", -1, NULL));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  dirs = g_strdup_printf ("%s:/usr/local/share:/usr/share", data_home);
  g_setenv ("XDG_DATA_DIRS", dirs, TRUE);
}

static gboolean
tick (gpointer data)
{
  (*(guint *)data)++;
  return G_SOURCE_CONTINUE;
}

/* 10 MiB of markup made to be slow to parse: one tag with 200,000
 * attributes, 100,000 nested elements, then one more tag whose attributes
 * fill the rest. What is left to show is small: it opens, with its words
 * and without handlers, and the main loop keeps turning while it is
 * prepared. */
static void
test_hostile_10mib_opens (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) html = g_string_new ("<p class=\"lead\" onclick=\"alert(1)\"");
  g_autoptr(DtxArticle) article = NULL;
  WebKitWebView *web_view;
  g_autofree char *found = NULL;
  g_autofree char *handlers = NULL;
  guint ticks = 0;
  guint tick_id;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (html, " a%u=\"%u\"", i, i);
  g_string_append (html, ">awal artikel</p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "tengah");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<span onmouseover=\"alert(2)\"");
  for (guint i = 0; html->len < 10 * 1024 * 1024; i++)
    g_string_append_printf (html, " b%u=\"%u\"", i, i);
  g_string_append (html, ">kata</span> <p>akhir artikel</p>");

  article = make_article (f, "Artikel Berbahaya", html->str);
  tick_id = g_timeout_add (10, tick, &ticks);
  web_view = show (f, article);
  g_source_remove (tick_id);
  /* Prepared in a thread: the loop ran while it was. */
  g_assert_cmpuint (ticks, >, 0);

  found = dtx_test_eval_string (web_view,
                                "String(document.body.innerText.includes('awal artikel') && "
                                "document.body.innerText.includes('tengah') && "
                                "document.body.innerText.includes('kata') && "
                                "document.body.innerText.includes('akhir artikel'))");
  g_assert_cmpstr (found, ==, "true");
  handlers = dtx_test_eval_string (web_view, "String(document.querySelectorAll('[onclick],[onmouseover]').length)");
  g_assert_cmpstr (handlers, ==, "0");
}

static gboolean
too_large_shown (gpointer data)
{
  Fixture *f = data;

  return !dtx_reader_view_is_rendering (f->reader) &&
         dtx_test_find_label (GTK_WIDGET (f->reader), "Article Too Large") != NULL;
}

static gboolean
is_browser_button (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Open in Browser") == 0;
}

/* 10 MiB of elements made to be slow (200,000 of them, each with a handler,
 * after one tag of 200,000 attributes and 100,000 nested elements): more
 * than the web view lays out in a second even once sanitised. The reader
 * says so, in its own page, and offers the browser; the web view is never
 * handed the page, and the main loop turns while it is prepared. */
static void
test_hostile_10mib_too_large (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) html = g_string_new ("<p class=\"lead\" onclick=\"alert(1)\"");
  g_autoptr(DtxArticle) article = NULL;
  g_autofree char *launched = NULL;
  GtkWidget *button;
  guint ticks = 0;
  guint tick_id;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (html, " a%u=\"%u\"", i, i);
  g_string_append (html, ">awal artikel</p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "tengah");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  while (html->len < 10 * 1024 * 1024)
    g_string_append (html, "<span onmouseover=\"alert(2)\" title=\"x\">kata</span> ");

  article = make_article (f, "Artikel Raksasa", html->str);
  tick_id = g_timeout_add (10, tick, &ticks);
  dtx_reader_view_show_article (f->reader, article);
  g_assert_true (dtx_test_wait_until (too_large_shown, f, "the too-large page"));
  g_source_remove (tick_id);
  g_assert_cmpuint (ticks, >, 0);
  g_assert_nonnull (dtx_test_find_label (GTK_WIDGET (f->reader),
                                         "This article is too large to show here, so open it in your browser to read it."));
  g_assert_null (webkit_web_view_get_uri (dtx_reader_view_get_web_view (f->reader)));

  button = dtx_test_find_widget (GTK_WIDGET (f->reader), is_browser_button, NULL);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (dtx_test_wait_until (browser_got_uri, f, "the browser to be launched"));
  dtx_test_spin (200);
  g_assert_true (g_file_get_contents (browser_log, &launched, NULL, NULL));
  g_assert_cmpstr (g_strstrip (launched), ==, dtx_article_get_link (article));

  /* The next article shows as usual. */
  {
    g_autoptr(DtxArticle) small = make_article (f, "Artikel Biasa", "<p id=\"isi\">Isi biasa.</p>");
    WebKitWebView *web_view = show (f, small);

    assert_eval (web_view, "document.getElementById('isi').textContent", "Isi biasa.");
    g_assert_null (dtx_test_find_label (GTK_WIDGET (f->reader), "Article Too Large"));
  }
}

static void
add (const char *path, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char *argv[])
{
  g_autofree char *root = g_dir_make_tmp ("dtx-reader-test-XXXXXX", NULL);
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  install_fake_browser (root);
  g_test_init (&argc, &argv, NULL);
  dtx_test_ui_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/reader/render/escapes-metadata", test_render_escapes_metadata);
  g_test_add_func ("/reader/render/non-web-link", test_render_non_web_link);
  add ("/reader/content/hostile-markup-inert", test_hostile_content_inert);
  add ("/reader/content/hostile-10mib-opens", test_hostile_10mib_opens);
  add ("/reader/content/hostile-10mib-too-large", test_hostile_10mib_too_large);
  add ("/reader/links/site-in-reader-others-in-browser", test_links);
  add ("/reader/links/open-in-browser", test_open_in_browser_link);
  add ("/reader/links/reload-and-back-stay", test_stays_on_article);
  add ("/reader/links/meta-refresh-refused", test_meta_refresh_refused);
  add ("/reader/content/broken-image-and-dead-link", test_broken_image_and_dead_link);
  add ("/reader/content/narrow-layout", test_narrow_layout);
  add ("/reader/links/hover-and-menu", test_link_hover_and_menu);
  add ("/reader/web-process-crash-recovers", test_web_process_crash_recovers);
  add ("/reader/follows-dark-mode", test_follows_dark_mode);
  add ("/reader/zoom-follows-settings", test_zoom_follows_settings);

  ret = g_test_run ();
  g_free (browser_log);
  return ret;
}
