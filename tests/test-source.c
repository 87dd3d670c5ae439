/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-source"
#include "config.h"

#include "dtx-error.h"
#include "dtx-source.h"
#include "dtx-source-private.h"
#include "dtx-feed-source.h"
#include "dtx-wordpress-source.h"
#include "dtx-test-site.h"


typedef struct {
  DtxTestSite *site;
  DtxFetcher  *fetcher;
  DtxSource   *source;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->site = dtx_test_site_new ();
  dtx_test_site_set_mode (fixture->site, GPOINTER_TO_INT (data));
  fixture->fetcher = dtx_fetcher_new ();
  fixture->source = dtx_source_new (fixture->fetcher, dtx_test_site_get_url (fixture->site));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->site, dtx_test_site_free);
  g_clear_object (&fixture->source);
  g_clear_object (&fixture->fetcher);
}

static GPtrArray *
fetch_page (DtxSource     *source,
            guint          page,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_source_fetch_page_async (source, page, cancellable, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_source_fetch_page_finish (source, result, error);
}

static GPtrArray *
refresh (DtxSource  *source,
         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_source_refresh_async (source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_source_refresh_finish (source, result, error);
}

static DtxArticle *
fetch_article (DtxSource     *source,
               const char    *url,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_source_fetch_article_async (source, url, cancellable, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_source_fetch_article_finish (source, result, error);
}

static char *
site_uri (Fixture    *fixture,
          const char *path)
{
  return g_strconcat (dtx_test_site_get_url (fixture->site), path, NULL);
}

/* Every article links into the site and carries the source's name. */
static void
assert_articles_of_site (Fixture   *fixture,
                         GPtrArray *articles)
{
  for (guint i = 0; i < articles->len; i++)
    {
      DtxArticle *article = g_ptr_array_index (articles, i);

      g_assert_true (dtx_source_owns_url (fixture->source, dtx_article_get_link (article)));
      g_assert_cmpstr (dtx_article_get_source_name (article), !=, NULL);
      g_assert_nonnull (dtx_article_get_title (article));
    }
}

static void
test_url_normalised (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "digitripx.id", "https://digitripx.id" },
    { "  https://digitripx.id/  ", "https://digitripx.id" },
    { "http://example.org/blog/", "http://example.org/blog" },
    { "https://example.org/feed/", "https://example.org/feed/" },
    { "example.org/rss.xml", "https://example.org/rss.xml" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DtxSource) source = dtx_source_new (fetcher, cases[i].in);

      g_assert_cmpstr (dtx_source_get_url (source), ==, cases[i].out);
      g_assert_cmpint (dtx_source_get_kind (source), ==, DTX_SOURCE_KIND_UNKNOWN);
      g_assert_cmpuint (dtx_source_get_total_pages (source), ==, 0);
    }
}

static void
test_title_and_ownership (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxSource) source = dtx_source_new (fetcher, DTX_SOURCE_DEFAULT_URL);
  g_autoptr(DtxSource) www = dtx_source_new (fetcher, "https://www.Example.org");

  g_assert_cmpstr (dtx_source_get_title (source), ==, "digitripx.id");
  g_assert_true (dtx_source_owns_url (source, "https://digitripx.id/some-post/"));
  g_assert_true (dtx_source_owns_url (source, "http://www.DigiTripX.id/some-post/"));
  g_assert_false (dtx_source_owns_url (source, "https://digitripx.id.evil.example/post/"));
  g_assert_false (dtx_source_owns_url (source, "https://example.org/post/"));
  g_assert_false (dtx_source_owns_url (source, "javascript:alert(1)"));
  g_assert_false (dtx_source_owns_url (source, "not a url"));

  g_assert_true (dtx_source_owns_url (www, "https://example.org/a/"));
  g_assert_true (dtx_source_owns_url (www, "https://WWW.example.org/a/"));
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
test_wordpress_pages (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) page3 = NULL;
  g_autoptr(GPtrArray) page4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) links = g_hash_table_new (g_str_hash, g_str_equal);
  guint kind_notified = 0, pages_notified = 0;
  DtxArticle *first;

  g_signal_connect (fixture->source, "notify::kind", G_CALLBACK (notify_count_cb), &kind_notified);
  g_signal_connect (fixture->source, "notify::total-pages", G_CALLBACK (notify_count_cb), &pages_notified);

  page1 = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page1->len, ==, 8);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpuint (dtx_source_get_total_pages (fixture->source), ==, 3);
  g_assert_cmpuint (kind_notified, ==, 1);
  g_assert_cmpuint (pages_notified, ==, 1);
  /* The site's name from the REST root, never a bare host. */
  g_assert_cmpstr (dtx_source_get_title (fixture->source), ==, "Contoh Tekno");

  /* Entities decoded by the parser, the title as the source name. */
  first = g_ptr_array_index (page1, 0);
  g_assert_cmpstr (dtx_article_get_title (first), ==,
                   "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya");
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (page1, 1)), ==,
                   "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh");
  g_assert_cmpstr (dtx_article_get_source_name (first), ==, "Contoh Tekno");
  assert_articles_of_site (fixture, page1);

  /* Only the posts endpoint and the root (once, for the name) were needed:
   * no home page, no feed. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 0);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 0);

  page2 = fetch_page (fixture->source, 2, NULL, &error);
  g_assert_no_error (error);
  page3 = fetch_page (fixture->source, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, ==, 8);
  g_assert_cmpuint (page3->len, ==, 8);
  g_assert_nonnull (strstr (dtx_test_site_last_query (fixture->site, "/wp-json/wp/v2/posts"), "page=3"));

  for (guint i = 0; i < 8; i++)
    {
      g_hash_table_add (links, (char *)dtx_article_get_link (g_ptr_array_index (page1, i)));
      g_hash_table_add (links, (char *)dtx_article_get_link (g_ptr_array_index (page2, i)));
      g_hash_table_add (links, (char *)dtx_article_get_link (g_ptr_array_index (page3, i)));
    }
  g_assert_cmpuint (g_hash_table_size (links), ==, 24);

  /* WordPress answers 400 rest_post_invalid_page_number past the end. */
  page4 = fetch_page (fixture->source, 4, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EMPTY);
  g_assert_null (page4);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 4);
  g_assert_cmpuint (kind_notified, ==, 1);
}

static void
test_rest_elsewhere (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GError) error = NULL;
  const char *query;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 8);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpuint (dtx_source_get_total_pages (fixture->source), ==, 3);
  assert_articles_of_site (fixture, articles);

  /* /wp-json/ once (404), the home page once, then the announced root's
   * posts and the root itself, once, for the site's name. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 3);
  g_assert_cmpstr (dtx_source_get_title (fixture->source), ==, "Contoh Tekno");
  query = dtx_test_site_last_query (fixture->site, "/");
  g_assert_nonnull (query);
  g_assert_nonnull (strstr (query, "rest_route="));
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 0);

  /* The root is remembered: page 2 goes straight there. */
  page2 = fetch_page (fixture->source, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, ==, 8);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 4);
  g_assert_nonnull (strstr (dtx_test_site_last_query (fixture->site, "/"), "page=2"));
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 1);
}

/* REST_DISABLED, REST_MISSING and REST_HTML all end on the feed. */
static void
test_feed_fallback (Fixture       *fixture,
                    gconstpointer  data)
{
  DtxTestSiteMode mode = GPOINTER_TO_INT (data);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GError) error = NULL;
  DtxArticle *first;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpuint (articles->len, ==, 10);
  g_assert_cmpuint (dtx_source_get_total_pages (fixture->source), ==, 1);
  g_assert_cmpstr (dtx_source_get_title (fixture->source), ==, "Contoh Tekno");
  assert_articles_of_site (fixture, articles);

  first = g_ptr_array_index (articles, 0);
  g_assert_cmpstr (dtx_article_get_title (first), ==,
                   "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya");
  g_assert_cmpstr (dtx_article_get_source_name (first), ==, "Contoh Tekno");

  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);
  /* A closed API (401) needs no look at the home page; the others do. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==,
                    mode == DTX_TEST_SITE_REST_DISABLED ? 0 : 1);

  /* A feed is a single page. */
  page2 = fetch_page (fixture->source, 2, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EMPTY);
  g_assert_null (page2);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_HTTP);
  g_assert_null (strstr (error->message, "500"));
  g_assert_null (articles);
  /* The feed was tried and failed too: REST's error, worth a Retry; the
   * site did not turn into a feed. */
  g_assert_cmpint (dtx_source_get_kind (fixture->source), !=, DTX_SOURCE_KIND_FEED);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);
}

/* REST answers 500, broken JSON or nothing in time while the feed works:
 * the feed's articles, said quietly, and REST is asked again next time. */
static void
test_feed_stands_in (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  dtx_fetcher_set_timeout (fixture->fetcher, 1);
  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, >=, 3);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (articles, 0)), ==,
                   "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya");
  g_assert_cmpstr (dtx_article_get_source_name (g_ptr_array_index (articles, 0)), ==, "Contoh Tekno");
  g_assert_true (dtx_source_get_from_feed (fixture->source));
  g_assert_cmpint (dtx_source_get_kind (fixture->source), !=, DTX_SOURCE_KIND_FEED);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);

  /* Once REST is back, the list comes from it again. */
  dtx_test_site_set_mode (fixture->site, DTX_TEST_SITE_NORMAL);
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 8);
  g_assert_false (dtx_source_get_from_feed (fixture->source));
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
}

/* Whatever order the feed lists its items in, newest first. */
static void
test_feed_newest_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpuint (articles->len, >=, 3);
  for (guint i = 1; i < articles->len; i++)
    g_assert_cmpint (g_date_time_compare (dtx_article_get_date (g_ptr_array_index (articles, i - 1)),
                                          dtx_article_get_date (g_ptr_array_index (articles, i))), >, 0);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (articles, 0)), ==,
                   "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya");
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (articles);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), !=, DTX_SOURCE_KIND_FEED);
}

static void
test_malformed_feed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) source = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = fetch_page (source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (articles);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, "There are no articles yet.");
  g_assert_null (articles);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpuint (dtx_source_get_total_pages (fixture->source), ==, 0);
  g_clear_error (&error);

  articles = fetch_page (feed, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EMPTY);
  g_assert_null (articles);
  g_assert_cmpint (dtx_source_get_kind (feed), ==, DTX_SOURCE_KIND_FEED);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  dtx_fetcher_set_max_size (fixture->fetcher, 512 * 1024);
  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_TOO_LARGE);
  g_assert_null (articles);
}

static void
test_feed_url_given (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) source = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (dtx_source_get_url (source), ==, url);
  articles = fetch_page (source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 10);
  g_assert_cmpint (dtx_source_get_kind (source), ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Contoh Tekno");
  g_assert_cmpuint (dtx_source_get_total_pages (source), ==, 1);

  /* Read as a feed from the start: no REST probe, no home page. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 0);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 0);
}

/* The charset of the HTTP Content-Type reaches the parser: a windows-1251
 * feed that says nothing about it in its XML declaration reads as Cyrillic,
 * not as the windows-1252 guess made for undeclared bytes. */
static void
test_feed_http_charset (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/cp1251.xml");
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  dtx_test_site_add_page (fixture->site, "/cp1251.xml", 200, "text/xml; charset=windows-1251",
                          "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>\xcf\xf0\xe8\xe2\xe5\xf2</title>"
                          "<item><title>\xab\xcd\xee\xe2\xee\xf1\xf2\xe8\xbb</title><link>@SITE@/a</link></item>"
                          "</channel></rss>");
  source = dtx_source_new_for_kind (fixture->fetcher, url, DTX_SOURCE_KIND_FEED, NULL);
  articles = fetch_page (source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 1);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (articles, 0)), ==, "«Новости»");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Привет");
}

static void
test_article_by_slug (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/review-ponsel-lipat/");
  g_autoptr(DtxArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  /* Kind unknown: it probes first, then asks REST for the slug. */
  article = fetch_article (fixture->source, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (article);
  g_assert_cmpstr (dtx_article_get_link (article), ==, url);
  g_assert_cmpstr (dtx_article_get_title (article), ==,
                   "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh");
  g_assert_cmpstr (dtx_article_get_source_name (article), ==, "Contoh Tekno");
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_nonnull (strstr (dtx_test_site_last_query (fixture->site, "/wp-json/wp/v2/posts"),
                            "slug=review-ponsel-lipat"));
  g_clear_object (&article);

  /* A post from page 3, by the http URL without the trailing slash; parsed
   * in a worker thread, as a post may be megabytes. */
  g_free (url);
  url = site_uri (fixture, "/linux-bagian-23");
  dtx_source_forget_last_parse_thread ();
  article = fetch_article (fixture->source, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (dtx_article_get_title (article), "Bagian 23"));
  g_assert_nonnull (dtx_source_get_last_parse_thread ());
  g_assert_true (dtx_source_get_last_parse_thread () != g_thread_self ());
  g_assert_nonnull (strstr (dtx_test_site_last_query (fixture->site, "/wp-json/wp/v2/posts"),
                            "slug=linux-bagian-23"));
}

static void
test_article_unknown_slug (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/no-such-post/");
  g_autoptr(DtxArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  article = fetch_article (fixture->source, url, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_null (article);
  g_assert_nonnull (strstr (dtx_test_site_last_query (fixture->site, "/wp-json/wp/v2/posts"),
                            "slug=no-such-post"));
}

static void
test_article_foreign_host (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DtxArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  article = fetch_article (fixture->source, "https://example.org/review-ponsel-lipat/", NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_FOUND);
  g_assert_null (article);
  /* Refused without asking the site. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 0);
}

static void
test_article_from_feed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/review-ponsel-lipat");
  g_autofree char *missing = site_uri (fixture, "/tips-bagian-17/");
  g_autoptr(DtxArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  /* REST is closed: the feed holds the article (trailing slash ignored). */
  article = fetch_article (fixture->source, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpstr (dtx_article_get_title (article), ==,
                   "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh");
  g_assert_cmpstr (dtx_article_get_source_name (article), ==, "Contoh Tekno");
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);
  g_clear_object (&article);

  /* Page 3's posts are not in the feed's latest ten (read in a worker). */
  dtx_source_forget_last_parse_thread ();
  article = fetch_article (fixture->source, missing, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_FOUND);
  g_assert_null (article);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 2);
  g_assert_nonnull (dtx_source_get_last_parse_thread ());
  g_assert_true (dtx_source_get_last_parse_thread () != g_thread_self ());
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autofree char *url = site_uri (fixture, "/review-ponsel-lipat/");
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(DtxArticle) article = NULL;
  g_autoptr(GError) error = NULL;

  /* HANG holds the request, so the cancel lands mid-flight. */
  g_timeout_add (100, cancel_cb, cancellable);
  articles = fetch_page (fixture->source, 1, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (articles);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_UNKNOWN);
  g_clear_error (&error);

  g_cancellable_cancel (cancelled);
  article = fetch_article (fixture->source, url, cancelled, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (article);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  dtx_fetcher_set_timeout (fixture->fetcher, 1);
  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_TIMEOUT);
  g_assert_null (articles);
}

/* Parsing a page must not hold the main loop: a big feed would freeze the
 * window. Both parsers run in a worker thread. */
static void
test_parse_off_main_thread (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  posts = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (posts->len, ==, 8);
  thread = dtx_source_get_last_parse_thread ();
  g_assert_nonnull (thread);
  g_assert_true (thread != g_thread_self ());

  items = fetch_page (feed, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 10);
  thread = dtx_source_get_last_parse_thread ();
  g_assert_nonnull (thread);
  g_assert_true (thread != g_thread_self ());
}


/* Issue 10: the kinds of source, validators, Retry-After, categories, icons. */

static DtxSource *
new_wordpress (Fixture *fixture)
{
  g_autofree char *root = site_uri (fixture, "/wp-json/");

  return dtx_source_new_for_kind (fixture->fetcher, dtx_test_site_get_url (fixture->site),
                                  DTX_SOURCE_KIND_WORDPRESS, root);
}

static void
test_new_for_kind (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *feed_url = site_uri (fixture, "/news/latest/");
  g_autoptr(DtxSource) wordpress = new_wordpress (fixture);
  g_autoptr(DtxSource) feed = dtx_source_new_for_kind (fixture->fetcher, feed_url, DTX_SOURCE_KIND_FEED, NULL);
  g_autoptr(DtxSource) unknown = dtx_source_new (fixture->fetcher, dtx_test_site_get_url (fixture->site));
  g_autoptr(DtxSource) no_root = dtx_source_new_for_kind (fixture->fetcher, "https://example.org/",
                                                          DTX_SOURCE_KIND_WORDPRESS, NULL);
  g_autofree char *root = site_uri (fixture, "/wp-json/");

  g_assert_true (DTX_IS_WORDPRESS_SOURCE (wordpress));
  g_assert_cmpint (dtx_source_get_kind (wordpress), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpstr (dtx_source_get_api_root (wordpress), ==, root);
  g_assert_true (DTX_IS_FEED_SOURCE (feed));
  g_assert_cmpint (dtx_source_get_kind (feed), ==, DTX_SOURCE_KIND_FEED);
  /* A feed's address is kept as given, trailing slash and all. */
  g_assert_cmpstr (dtx_source_get_url (feed), ==, feed_url);
  g_assert_true (DTX_IS_WORDPRESS_SOURCE (unknown));
  g_assert_cmpint (dtx_source_get_kind (unknown), ==, DTX_SOURCE_KIND_UNKNOWN);
  /* WordPress without its root probes for it. */
  g_assert_cmpint (dtx_source_get_kind (no_root), ==, DTX_SOURCE_KIND_UNKNOWN);
  g_assert_cmpstr (dtx_source_get_url (no_root), ==, "https://example.org");
}

static void
test_titles_and_properties (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  g_autoptr(DtxSource) source = dtx_source_new (fetcher, "https://www.example.org/");
  guint title_notified = 0, unread_notified = 0, error_notified = 0;

  g_signal_connect (source, "notify::title", G_CALLBACK (notify_count_cb), &title_notified);
  g_signal_connect (source, "notify::unread-count", G_CALLBACK (notify_count_cb), &unread_notified);
  g_signal_connect (source, "notify::error", G_CALLBACK (notify_count_cb), &error_notified);

  /* The host until the site tells its name. */
  g_assert_cmpstr (dtx_source_get_title (source), ==, "example.org");
  g_assert_null (dtx_source_get_site_title (source));
  dtx_source_set_site_title (source, "Contoh");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Contoh");
  dtx_source_set_custom_title (source, "  Bacaan Pagi ");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Bacaan Pagi");
  g_assert_cmpstr (dtx_source_get_custom_title (source), ==, "Bacaan Pagi");
  /* The site renaming itself does not undo the user's name. */
  dtx_source_set_site_title (source, "Contoh Baru");
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Bacaan Pagi");
  /* A blank rename gives the site's name back. */
  dtx_source_set_custom_title (source, "   ");
  g_assert_null (dtx_source_get_custom_title (source));
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Contoh Baru");
  g_assert_cmpuint (title_notified, ==, 3);

  dtx_source_set_unread_count (source, 7);
  dtx_source_set_unread_count (source, 7);
  g_assert_cmpuint (dtx_source_get_unread_count (source), ==, 7);
  g_assert_cmpuint (unread_notified, ==, 1);

  dtx_source_set_error (source, "Situs tidak menjawab.");
  g_assert_cmpstr (dtx_source_get_error (source), ==, "Situs tidak menjawab.");
  dtx_source_set_error (source, NULL);
  g_assert_null (dtx_source_get_error (source));
  g_assert_cmpuint (error_notified, ==, 2);

  dtx_source_set_refreshing (source, TRUE);
  g_assert_true (dtx_source_get_refreshing (source));
  dtx_source_set_icon_url (source, "https://example.org/icon.png");
  g_assert_cmpstr (dtx_source_get_icon_url (source), ==, "https://example.org/icon.png");
}

/* Two refreshes of a feed: the second costs a 304, no parse. */
static void
test_conditional_feed (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new_for_kind (fixture->fetcher, url, DTX_SOURCE_KIND_FEED, NULL);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  GThread *parsed_by;

  articles = refresh (feed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 10);
  g_assert_cmpstr (dtx_source_get_etag (feed), ==, "\"v0\"");
  g_assert_nonnull (dtx_source_get_last_modified (feed));
  g_assert_null (dtx_test_site_last_header (fixture->site, "If-None-Match"));
  g_clear_pointer (&articles, g_ptr_array_unref);

  parsed_by = dtx_source_get_last_parse_thread ();
  articles = refresh (feed, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED);
  g_assert_null (articles);
  g_clear_error (&error);
  g_assert_cmpstr (dtx_test_site_last_header (fixture->site, "If-None-Match"), ==, "\"v0\"");
  g_assert_nonnull (dtx_test_site_last_header (fixture->site, "If-Modified-Since"));
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 2);
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, "/feed/"), ==, 1);
  /* Nothing was parsed for the 304. */
  g_assert_true (dtx_source_get_last_parse_thread () == parsed_by);

  /* Something new: a full answer, and new validators. */
  dtx_test_site_add_post (fixture->site);
  articles = refresh (feed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 10);
  g_assert_cmpstr (dtx_source_get_etag (feed), ==, "\"v1\"");
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, "/feed/"), ==, 1);

  /* Validators from the store: only Last-Modified is enough. */
  dtx_source_set_validators (feed, NULL, dtx_source_get_last_modified (feed));
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = refresh (feed, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED);
  g_assert_null (dtx_test_site_last_header (fixture->site, "If-None-Match"));
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, "/feed/"), ==, 2);
}

static void
test_conditional_wordpress (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(DtxSource) source = new_wordpress (fixture);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GError) error = NULL;

  articles = refresh (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 8);
  g_assert_cmpstr (dtx_source_get_etag (source), ==, "\"v0\"");
  g_clear_pointer (&articles, g_ptr_array_unref);

  articles = refresh (source, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED);
  g_clear_error (&error);
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, "/wp/v2/posts"), ==, 1);

  /* A plain read of page 1 (a list paging, an article looked for) sends no
   * validators and keeps them: the next refresh is still conditional. */
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = fetch_page (source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 8);
  g_assert_null (dtx_test_site_last_header (fixture->site, "If-None-Match"));
  g_assert_cmpstr (dtx_source_get_etag (source), ==, "\"v0\"");
  g_clear_pointer (&articles, g_ptr_array_unref);

  /* Only page 1 is conditional: page 2 is always read. */
  page2 = fetch_page (source, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, ==, 8);
  g_assert_null (dtx_test_site_last_header (fixture->site, "If-None-Match"));

  dtx_test_site_add_post (fixture->site);
  articles = refresh (source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (articles, 0)), ==, "Berita Baru Nomor 1");
  g_assert_cmpstr (dtx_source_get_etag (source), ==, "\"v1\"");
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, "/wp/v2/posts"), ==, 1);
}

/* A source made by dtx_source_new() probes on its first refresh; what the
 * probe read already gives the validators of the next. */
static void
test_conditional_probed (Fixture       *fixture,
                         gconstpointer  data)
{
  DtxTestSiteMode mode = GPOINTER_TO_INT (data);
  const char *path = mode == DTX_TEST_SITE_NORMAL ? "/wp/v2/posts" : "/feed/";
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = refresh (fixture->source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dtx_source_get_etag (fixture->source), ==, "\"v0\"");
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==,
                   mode == DTX_TEST_SITE_NORMAL ? DTX_SOURCE_KIND_WORDPRESS : DTX_SOURCE_KIND_FEED);
  g_clear_pointer (&articles, g_ptr_array_unref);

  articles = refresh (fixture->source, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED);
  g_assert_cmpuint (dtx_test_site_count_not_modified (fixture->site, path), ==, 1);
}

/* The feed standing in for a failing REST API leaves the validators alone:
 * they belong to REST's page 1. */
static void
test_conditional_stand_in (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = refresh (fixture->source, &error);
  g_assert_no_error (error);
  g_assert_true (dtx_source_get_from_feed (fixture->source));
  g_assert_null (dtx_source_get_etag (fixture->source));
  g_assert_null (dtx_source_get_last_modified (fixture->source));
}

/* A WordPress site whose REST API is closed, probed, ends as kind FEED under
 * its site address: stored so, it comes back as a feed source of that
 * address, which reads the feed the home page announces. */
static void
test_feed_at_site_address (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DtxSource) probed = NULL;
  g_autoptr(DtxSource) source = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  articles = refresh (fixture->source, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dtx_source_get_kind (fixture->source), ==, DTX_SOURCE_KIND_FEED);
  g_clear_pointer (&articles, g_ptr_array_unref);

  source = dtx_source_new_for_kind (fixture->fetcher, dtx_source_get_url (fixture->source),
                                    dtx_source_get_kind (fixture->source), NULL);
  dtx_source_set_validators (source, dtx_source_get_etag (fixture->source),
                             dtx_source_get_last_modified (fixture->source));
  g_assert_cmpstr (dtx_source_get_url (source), ==, dtx_test_site_get_url (fixture->site));
  articles = refresh (source, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_MODIFIED);
  g_clear_error (&error);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 2);

  /* Without validators: the articles; the page is not asked again. */
  dtx_source_set_validators (source, NULL, NULL);
  articles = refresh (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 10);
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Contoh Tekno");
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 3);

  /* A page that announces nothing is no feed. */
  probed = dtx_source_new_for_kind (fixture->fetcher, dtx_test_site_get_url (fixture->site),
                                    DTX_SOURCE_KIND_FEED, NULL);
  dtx_test_site_add_page (fixture->site, "/", 200, "text/html", "<html><head></head><body>Kosong</body></html>");
  g_clear_pointer (&articles, g_ptr_array_unref);
  articles = fetch_page (probed, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (articles);
}

/* 429 with delta-seconds, 503 with an HTTP date. */
static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  DtxTestSiteMode mode = GPOINTER_TO_INT (data);
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new_for_kind (fixture->fetcher, url, DTX_SOURCE_KIND_FEED, NULL);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time ();
  gint64 wait;
  guint notified = 0;

  g_signal_connect (feed, "notify::retry-after", G_CALLBACK (notify_count_cb), &notified);
  g_assert_cmpint (dtx_source_get_retry_after (feed), ==, 0);
  articles = fetch_page (feed, 1, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_HTTP);
  g_assert_null (articles);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (error->message, ==,
                   mode == DTX_TEST_SITE_RATE_LIMITED
                   ? "127.0.0.1 asked to wait before the next request. Try again later."
                   : "127.0.0.1 has a problem at the moment. Try again later.");

  wait = dtx_source_get_retry_after (feed) - before;
  if (mode == DTX_TEST_SITE_RATE_LIMITED)
    {
      g_assert_cmpint (wait, >=, 119 * G_USEC_PER_SEC);
      g_assert_cmpint (wait, <=, 121 * G_USEC_PER_SEC);
    }
  else
    {
      /* An HTTP date has whole seconds. */
      g_assert_cmpint (wait, >=, (gint64)3598 * G_USEC_PER_SEC);
      g_assert_cmpint (wait, <=, (gint64)3601 * G_USEC_PER_SEC);
    }

  /* Back to normal: a full answer clears it. */
  dtx_test_site_set_mode (fixture->site, DTX_TEST_SITE_NORMAL);
  g_clear_error (&error);
  articles = fetch_page (feed, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dtx_source_get_retry_after (feed), ==, 0);
}

static GPtrArray *
fetch_categories (DtxSource  *source,
                  GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_source_fetch_categories_async (source, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_source_fetch_categories_finish (source, result, error);
}

static void
test_categories (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DtxSource) source = new_wordpress (fixture);
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  const char *query;
  DtxCategory *second;

  categories = fetch_categories (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, ==, 4);
  g_assert_cmpstr (((DtxCategory *)g_ptr_array_index (categories, 0))->name, ==, "Aplikasi");
  second = g_ptr_array_index (categories, 1);
  g_assert_cmpint (second->id, ==, 5);
  g_assert_cmpstr (second->name, ==, "Gadget & Gawai");
  g_assert_cmpstr (second->slug, ==, "gadget-gawai");
  g_assert_cmpuint (second->count, ==, 7);

  query = dtx_test_site_last_query (fixture->site, "/wp-json/wp/v2/categories");
  g_assert_nonnull (strstr (query, "per_page=100"));
  g_assert_nonnull (strstr (query, "orderby=count"));
  g_assert_nonnull (strstr (query, "order=desc"));
  g_assert_nonnull (strstr (query, "hide_empty=true"));

  /* A feed has no categories to filter by: an empty list, no request. */
  none = fetch_categories (feed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 0);

  {
    g_autoptr(DtxCategory) copy = dtx_category_copy (second);

    g_assert_cmpstr (copy->name, ==, second->name);
    g_assert_true (g_type_is_a (DTX_TYPE_CATEGORY, G_TYPE_BOXED));
  }

  /* Odd entries are skipped, markup in names goes; a broken list is an error. */
  dtx_test_site_add_page (fixture->site, "/wp-json/wp/v2/categories", 200, "application/json",
                          "[1, null, {\"id\":\"x\",\"count\":3,\"name\":\"Bukan\"},"
                          "{\"id\":9,\"count\":2,\"name\":\"<b>Tebal</b> &amp; miring\",\"slug\":null},"
                          "{\"id\":10,\"count\":0,\"name\":\"Kosong\"},{\"id\":11,\"count\":4}]");
  g_clear_pointer (&categories, g_ptr_array_unref);
  categories = fetch_categories (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, ==, 1);
  g_assert_cmpstr (((DtxCategory *)g_ptr_array_index (categories, 0))->name, ==, "Tebal & miring");
  g_assert_null (((DtxCategory *)g_ptr_array_index (categories, 0))->slug);

  dtx_test_site_add_page (fixture->site, "/wp-json/wp/v2/categories", 200, "application/json", "[{\"id\":");
  g_clear_pointer (&categories, g_ptr_array_unref);
  categories = fetch_categories (source, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (categories);
}

/* A site without pretty permalinks: categories through ?rest_route= too. */
static void
test_categories_rest_route (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;
  const char *query;

  articles = fetch_page (fixture->source, 1, NULL, &error);
  g_assert_no_error (error);
  categories = fetch_categories (fixture->source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, ==, 4);
  query = dtx_test_site_last_query (fixture->site, "/");
  g_assert_true (g_str_has_prefix (query, "rest_route=/wp/v2/categories&"));
}

/* A site known to be WordPress whose REST API is closed: its feed, page by
 * page, until WordPress answers 404. */
static void
test_feed_paging (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DtxSource) source = new_wordpress (fixture);
  g_autoptr(GPtrArray) page1 = NULL;
  g_autoptr(GPtrArray) page2 = NULL;
  g_autoptr(GPtrArray) page3 = NULL;
  g_autoptr(GPtrArray) page4 = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GError) error = NULL;

  page1 = fetch_page (source, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page1->len, ==, 10);
  g_assert_cmpint (dtx_source_get_kind (source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_false (dtx_source_get_from_feed (source));
  /* How many pages a feed has is unknown. */
  g_assert_cmpuint (dtx_source_get_total_pages (source), ==, 0);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 1);

  page2 = fetch_page (source, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page2->len, ==, 8);
  g_assert_cmpstr (dtx_test_site_last_query (fixture->site, "/feed/"), ==, "paged=2");
  /* REST is not asked again once it refused. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/wp-json/wp/v2/posts"), ==, 1);
  g_assert_true (dtx_source_owns_url (source, dtx_article_get_link (g_ptr_array_index (page2, 0))));

  page3 = fetch_page (source, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page3->len, ==, 8);
  page4 = fetch_page (source, 4, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_EMPTY);
  g_assert_null (page4);
  g_clear_error (&error);

  categories = fetch_categories (source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (categories->len, ==, 0);
}

static void
test_icons (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(DtxSource) source = dtx_source_new (fixture->fetcher, dtx_test_site_get_url (fixture->site));
  g_autofree char *url = site_uri (fixture, "/feed/");
  g_autoptr(DtxSource) feed = dtx_source_new (fixture->fetcher, url);
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *site_icon = site_uri (fixture, "/wp-content/uploads/2024/05/cropped-ikon-32x32.png");
  g_autofree char *favicon = site_uri (fixture, "/favicon.ico");

  g_assert_null (dtx_source_get_icon_url (source));
  articles = fetch_page (source, 1, NULL, &error);
  g_assert_no_error (error);
  /* site_icon_url of the REST root. */
  g_assert_cmpstr (dtx_source_get_icon_url (source), ==, site_icon);

  /* The fixture feed names no image: the favicon. */
  items = fetch_page (feed, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dtx_source_get_icon_url (feed), ==, favicon);
}

static void
test_feed_icon_parsing (void)
{
  struct {
    const char *doc;
    const char *icon;
  } cases[] = {
    { "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A</title>"
      "<image><url>/img/logo.png</url><title>A</title><link>https://a.example/</link></image>"
      "<item><title>x</title><image><url>https://a.example/not-this.png</url></image></item></channel></rss>",
      "https://a.example/img/logo.png" },
    { "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
      "xmlns=\"http://purl.org/rss/1.0/\"><channel rdf:about=\"x\"><title>B</title></channel>"
      "<image rdf:about=\"x\"><url>https://b.example/b.gif</url></image><item rdf:about=\"y\"/></rdf:RDF>",
      "https://b.example/b.gif" },
    { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>C</title><logo>logo.svg</logo>"
      "<icon>favicon.png</icon><entry><title>x</title></entry></feed>",
      "https://a.example/feeds/favicon.png" },
    { "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>D</title><logo>https://d.example/logo.svg</logo></feed>",
      "https://d.example/logo.svg" },
    { "  {\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"E\",\"icon\":\"https://e.example/512.png\","
      "\"favicon\":\"https://e.example/64.png\",\"items\":[]}",
      "https://e.example/64.png" },
    { "{\"version\":\"https://jsonfeed.org/version/1.1\",\"icon\":\"/512.png\",\"items\":[]}",
      "https://a.example/512.png" },
    { "<rss version=\"2.0\"><channel><title>F</title><image><url>javascript:alert(1)</url></image></channel></rss>",
      NULL },
    { "<rss version=\"2.0\"><channel><title>G</title><item><title>x</title></item></channel></rss>", NULL },
    { "not a feed at all", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].doc, strlen (cases[i].doc));
      g_autofree char *icon = dtx_source_feed_icon (bytes, "https://a.example/feeds/all.xml");

      g_assert_cmpstr (icon, ==, cases[i].icon);
    }
}

#define ADD(path, mode, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/source/url-normalised", test_url_normalised);
  g_test_add_func ("/source/title-and-ownership", test_title_and_ownership);
  ADD ("/source/wordpress/pages", DTX_TEST_SITE_NORMAL, test_wordpress_pages);
  ADD ("/source/wordpress/rest-elsewhere", DTX_TEST_SITE_REST_ELSEWHERE, test_rest_elsewhere);
  ADD ("/source/fallback/rest-disabled", DTX_TEST_SITE_REST_DISABLED, test_feed_fallback);
  ADD ("/source/fallback/rest-missing", DTX_TEST_SITE_REST_MISSING, test_feed_fallback);
  ADD ("/source/fallback/rest-html", DTX_TEST_SITE_REST_HTML, test_feed_fallback);
  ADD ("/source/error/server-error", DTX_TEST_SITE_SERVER_ERROR, test_server_error);
  ADD ("/source/fallback/rest-500-feed-works", DTX_TEST_SITE_REST_500, test_feed_stands_in);
  ADD ("/source/fallback/rest-broken-json-feed-works", DTX_TEST_SITE_REST_BROKEN, test_feed_stands_in);
  ADD ("/source/fallback/rest-timeout-feed-works", DTX_TEST_SITE_REST_HANG, test_feed_stands_in);
  ADD ("/source/fallback/feed-newest-first", DTX_TEST_SITE_FEED_ONLY_OLDEST_FIRST, test_feed_newest_first);
  ADD ("/source/error/malformed", DTX_TEST_SITE_MALFORMED, test_malformed);
  ADD ("/source/error/malformed-feed", DTX_TEST_SITE_MALFORMED, test_malformed_feed);
  ADD ("/source/error/empty", DTX_TEST_SITE_EMPTY, test_empty);
  ADD ("/source/error/too-large", DTX_TEST_SITE_HUGE, test_too_large);
  ADD ("/source/error/timeout", DTX_TEST_SITE_HANG, test_timeout);
  ADD ("/source/feed-url-given", DTX_TEST_SITE_NORMAL, test_feed_url_given);
  ADD ("/source/feed-http-charset", DTX_TEST_SITE_NORMAL, test_feed_http_charset);
  ADD ("/source/article/by-slug", DTX_TEST_SITE_NORMAL, test_article_by_slug);
  ADD ("/source/article/unknown-slug", DTX_TEST_SITE_NORMAL, test_article_unknown_slug);
  ADD ("/source/article/foreign-host", DTX_TEST_SITE_NORMAL, test_article_foreign_host);
  ADD ("/source/article/from-feed", DTX_TEST_SITE_REST_DISABLED, test_article_from_feed);
  ADD ("/source/cancel", DTX_TEST_SITE_HANG, test_cancel);
  ADD ("/source/parse-off-main-thread", DTX_TEST_SITE_NORMAL, test_parse_off_main_thread);
  ADD ("/source/new-for-kind", DTX_TEST_SITE_NORMAL, test_new_for_kind);
  g_test_add_func ("/source/titles-and-properties", test_titles_and_properties);
  ADD ("/source/conditional/feed", DTX_TEST_SITE_NORMAL, test_conditional_feed);
  ADD ("/source/conditional/wordpress", DTX_TEST_SITE_NORMAL, test_conditional_wordpress);
  ADD ("/source/conditional/probed-rest", DTX_TEST_SITE_NORMAL, test_conditional_probed);
  ADD ("/source/conditional/probed-feed", DTX_TEST_SITE_REST_DISABLED, test_conditional_probed);
  ADD ("/source/conditional/stand-in", DTX_TEST_SITE_REST_500, test_conditional_stand_in);
  ADD ("/source/retry-after/seconds", DTX_TEST_SITE_RATE_LIMITED, test_retry_after);
  ADD ("/source/retry-after/http-date", DTX_TEST_SITE_UNAVAILABLE, test_retry_after);
  ADD ("/source/categories", DTX_TEST_SITE_NORMAL, test_categories);
  ADD ("/source/categories/rest-route", DTX_TEST_SITE_REST_ELSEWHERE, test_categories_rest_route);
  ADD ("/source/wordpress/feed-paging", DTX_TEST_SITE_REST_DISABLED, test_feed_paging);
  ADD ("/source/icons", DTX_TEST_SITE_NORMAL, test_icons);
  ADD ("/source/feed/at-site-address", DTX_TEST_SITE_REST_DISABLED, test_feed_at_site_address);
  g_test_add_func ("/source/feed-icon-parsing", test_feed_icon_parsing);

  return g_test_run ();
}
