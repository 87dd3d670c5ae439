/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-source"
#include "config.h"

#include "dtx-error.h"
#include "dtx-source.h"
#include "dtx-source-private.h"
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

  /* A post from page 3, by the http URL without the trailing slash. */
  g_free (url);
  url = site_uri (fixture, "/linux-bagian-23");
  article = fetch_article (fixture->source, url, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (dtx_article_get_title (article), "Bagian 23"));
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

  /* Page 3's posts are not in the feed's latest ten. */
  article = fetch_article (fixture->source, missing, NULL, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NOT_FOUND);
  g_assert_null (article);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 2);
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
  ADD ("/source/article/by-slug", DTX_TEST_SITE_NORMAL, test_article_by_slug);
  ADD ("/source/article/unknown-slug", DTX_TEST_SITE_NORMAL, test_article_unknown_slug);
  ADD ("/source/article/foreign-host", DTX_TEST_SITE_NORMAL, test_article_foreign_host);
  ADD ("/source/article/from-feed", DTX_TEST_SITE_REST_DISABLED, test_article_from_feed);
  ADD ("/source/cancel", DTX_TEST_SITE_HANG, test_cancel);
  ADD ("/source/parse-off-main-thread", DTX_TEST_SITE_NORMAL, test_parse_off_main_thread);

  return g_test_run ();
}
