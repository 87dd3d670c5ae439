/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-discovery"
#include "config.h"

#include "dtx-error.h"
#include "dtx-source-discovery.h"
#include "dtx-source-discovery-private.h"
#include "dtx-test-site.h"

#define HTML "text/html; charset=UTF-8"

static const char rss_feed[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<rss version=\"2.0\"><channel><title>Blog Kopi &amp; Kode</title><link>@SITE@/blog/</link>"
  "<image><url>@SITE@/blog/ikon.png</url><title>Blog</title><link>@SITE@/blog/</link></image>"
  "<item><title>Satu</title><link>@SITE@/blog/satu</link><pubDate>Mon, 03 Jun 2024 08:00:00 +0700</pubDate></item>"
  "<item><title>Dua</title><link>@SITE@/blog/dua</link><pubDate>Sun, 02 Jun 2024 08:00:00 +0700</pubDate></item>"
  "<item><title>Tiga</title><link>@SITE@/blog/tiga</link><pubDate>Sat, 01 Jun 2024 08:00:00 +0700</pubDate></item>"
  "<item><title>Empat</title><link>@SITE@/blog/empat</link><pubDate>Fri, 31 May 2024 08:00:00 +0700</pubDate></item>"
  "</channel></rss>\n";

static const char atom_feed[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Catatan Atom</title>"
  "<id>urn:uuid:1</id><updated>2024-06-03T01:00:00Z</updated><icon>/atom-ikon.png</icon>"
  "<entry><title>Entri A</title><id>urn:a</id><link href=\"@SITE@/atom/a\"/><updated>2024-06-03T01:00:00Z</updated></entry>"
  "<entry><title>Entri B</title><id>urn:b</id><link href=\"@SITE@/atom/b\"/><updated>2024-06-02T01:00:00Z</updated></entry>"
  "</feed>\n";

static const char json_feed[] =
  "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Umpan JSON\","
  "\"home_page_url\":\"@SITE@/json/\",\"favicon\":\"@SITE@/json/fav.png\",\"items\":["
  "{\"id\":\"1\",\"url\":\"@SITE@/json/1\",\"title\":\"Butir Pertama\",\"content_text\":\"a\",\"date_published\":\"2024-06-03T01:00:00Z\"},"
  "{\"id\":\"2\",\"url\":\"@SITE@/json/2\",\"title\":\"Butir Kedua\",\"content_text\":\"b\",\"date_published\":\"2024-06-02T01:00:00Z\"}]}";

static const char page_with_rss[] =
  "<!DOCTYPE html><html><head><title>Blog</title>"
  "<link rel=\"stylesheet\" href=\"gaya.css\">"
  "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Blog\" href=\"feed.xml\">"
  "</head><body><p>Halo</p>"
  "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/not-in-head.xml\">"
  "</body></html>";

static const char page_with_two[] =
  "<!DOCTYPE html><html><head><title>Dua umpan</title>"
  "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/blog/feed.xml\">"
  "<LINK REL=\"Alternate\" TYPE=\"application/atom+xml\" HREF=\"@SITE@/atom.xml\">"
  "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"@SITE@/blog/feed.xml\">"
  "<link rel=\"alternate\" type=\"text/html\" hreflang=\"en\" href=\"/en/\">"
  "</head><body></body></html>";

static const char page_with_json[] =
  "<html><head><base href=\"@SITE@/json/\">"
  "<link rel=\"alternate\" type=\"application/feed+json\" href=\"feed.json\"></head><body></body></html>";

static const char page_without_feed[] =
  "<!DOCTYPE html><html><head><title>Toko</title></head><body><p>Tidak ada umpan di sini.</p></body></html>";

typedef struct {
  DtxTestSite *site;
  DtxFetcher  *fetcher;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->site = dtx_test_site_new ();
  dtx_test_site_set_mode (fixture->site, GPOINTER_TO_INT (data));
  fixture->fetcher = dtx_fetcher_new ();

  dtx_test_site_add_page (fixture->site, "/blog/", 200, HTML, page_with_rss);
  dtx_test_site_add_page (fixture->site, "/blog/feed.xml", 200, "application/rss+xml", rss_feed);
  dtx_test_site_add_page (fixture->site, "/atom.xml", 200, "application/atom+xml", atom_feed);
  dtx_test_site_add_page (fixture->site, "/json/", 200, HTML, page_with_json);
  dtx_test_site_add_page (fixture->site, "/json/feed.json", 200, "application/feed+json", json_feed);
  dtx_test_site_add_page (fixture->site, "/two/", 200, HTML, page_with_two);
  dtx_test_site_add_page (fixture->site, "/shop/", 200, HTML, page_without_feed);
  dtx_test_site_add_redirect (fixture->site, "/old", "@SITE@/older/");
  dtx_test_site_add_redirect (fixture->site, "/older/", "/blog/");
  dtx_test_site_add_redirect (fixture->site, "/loop-a", "@SITE@/loop-b");
  dtx_test_site_add_redirect (fixture->site, "/loop-b", "@SITE@/loop-a");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->site, dtx_test_site_free);
  g_clear_object (&fixture->fetcher);
}

static char *
site_uri (Fixture    *fixture,
          const char *path)
{
  return g_strconcat (dtx_test_site_get_url (fixture->site), path, NULL);
}

static GPtrArray *
discover (Fixture     *fixture,
          const char  *url,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dtx_source_discover_async (fixture->fetcher, url, NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  return dtx_source_discover_finish (result, error);
}

static void
assert_latest (DtxDiscovered *found,
               const char    *first,
               const char    *second,
               const char    *third)
{
  const char *titles[] = { first, second, third };
  guint n = third ? 3 : second ? 2 : 1;

  g_assert_nonnull (found->latest);
  g_assert_cmpuint (found->latest->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (dtx_article_get_title (g_ptr_array_index (found->latest, i)), ==, titles[i]);
}

static void
assert_wordpress (Fixture       *fixture,
                  DtxDiscovered *found,
                  const char    *root_path)
{
  g_autofree char *root = site_uri (fixture, root_path);
  g_autofree char *icon = site_uri (fixture, "/wp-content/uploads/2024/05/cropped-ikon-32x32.png");

  g_assert_cmpint (found->kind, ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpstr (found->url, ==, dtx_test_site_get_url (fixture->site));
  g_assert_cmpstr (found->api_root, ==, root);
  g_assert_cmpstr (found->title, ==, "Contoh Tekno");
  g_assert_cmpstr (found->icon_url, ==, icon);
  assert_latest (found,
                 "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya",
                 "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh",
                 "Tanpa Gambar Unggulan: Catatan Redaksi");
}

/* The Link header alone, or the <link> tag alone, says WordPress. */
static void
test_wordpress_announced (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = discover (fixture, dtx_test_site_get_url (fixture->site), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  assert_wordpress (fixture, g_ptr_array_index (results, 0), "/wp-json/");
  /* Found on the home page: no ?rest_route= probe, no feed read. */
  g_assert_null (dtx_test_site_last_query (fixture->site, "/"));
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 0);
}

/* Nothing announced, /wp-json/ missing: ?rest_route=/ still answers. */
static void
test_wordpress_rest_route (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DtxDiscovered *found;

  results = discover (fixture, dtx_test_site_get_url (fixture->site), &error);
  g_assert_no_error (error);
  /* The home page announces its RSS feed too; WordPress comes first. */
  g_assert_cmpuint (results->len, ==, 1);
  found = g_ptr_array_index (results, 0);
  assert_wordpress (fixture, found, "/?rest_route=/");
}

/* A WordPress site whose REST API is closed is still WordPress: its feed,
 * page by page. */
static void
test_wordpress_rest_closed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxSource) source = NULL;
  DtxDiscovered *found;

  results = discover (fixture, dtx_test_site_get_url (fixture->site), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  found = g_ptr_array_index (results, 0);
  g_assert_cmpint (found->kind, ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpstr (found->title, ==, "Contoh Tekno");
  g_assert_cmpuint (found->latest->len, ==, 3);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/feed/"), ==, 1);

  source = dtx_discovered_create_source (found, fixture->fetcher);
  g_assert_cmpint (dtx_source_get_kind (source), ==, DTX_SOURCE_KIND_WORDPRESS);
  g_assert_cmpstr (dtx_source_get_api_root (source), ==, found->api_root);
  g_assert_cmpstr (dtx_source_get_title (source), ==, "Contoh Tekno");
}

static void
test_rss_by_link_tag (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *page = site_uri (fixture, "/blog/");
  g_autofree char *feed = site_uri (fixture, "/blog/feed.xml");
  g_autofree char *icon = site_uri (fixture, "/blog/ikon.png");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DtxSource) source = NULL;
  DtxDiscovered *found;

  results = discover (fixture, page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  found = g_ptr_array_index (results, 0);
  /* The relative href resolved against the page. */
  g_assert_cmpstr (found->url, ==, feed);
  g_assert_cmpint (found->kind, ==, DTX_SOURCE_KIND_FEED);
  g_assert_null (found->api_root);
  g_assert_cmpstr (found->title, ==, "Blog Kopi & Kode");
  g_assert_cmpstr (found->icon_url, ==, icon);
  assert_latest (found, "Satu", "Dua", "Tiga");
  /* ?rest_route= was asked once, and was no WordPress. */
  g_assert_cmpstr (dtx_test_site_last_query (fixture->site, "/blog/"), ==, "rest_route=/");

  source = dtx_discovered_create_source (found, fixture->fetcher);
  g_assert_true (DTX_IS_SOURCE (source));
  g_assert_cmpint (dtx_source_get_kind (source), ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpstr (dtx_source_get_url (source), ==, feed);
  g_assert_cmpstr (dtx_source_get_icon_url (source), ==, icon);
}

/* The address is a feed itself. */
static void
test_atom (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *feed = site_uri (fixture, "/atom.xml");
  g_autofree char *icon = site_uri (fixture, "/atom-ikon.png");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DtxDiscovered *found;

  results = discover (fixture, feed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  found = g_ptr_array_index (results, 0);
  g_assert_cmpstr (found->url, ==, feed);
  g_assert_cmpint (found->kind, ==, DTX_SOURCE_KIND_FEED);
  g_assert_cmpstr (found->title, ==, "Catatan Atom");
  g_assert_cmpstr (found->icon_url, ==, icon);
  assert_latest (found, "Entri A", "Entri B", NULL);
}

static void
test_json_feed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *page = site_uri (fixture, "/json/");
  g_autofree char *feed = site_uri (fixture, "/json/feed.json");
  g_autofree char *icon = site_uri (fixture, "/json/fav.png");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DtxDiscovered *found;

  results = discover (fixture, page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  found = g_ptr_array_index (results, 0);
  /* Resolved against <base href>. */
  g_assert_cmpstr (found->url, ==, feed);
  g_assert_cmpstr (found->title, ==, "Umpan JSON");
  g_assert_cmpstr (found->icon_url, ==, icon);
  assert_latest (found, "Butir Pertama", "Butir Kedua", NULL);
}

static void
test_two_feeds (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *page = site_uri (fixture, "/two/");
  g_autofree char *rss = site_uri (fixture, "/blog/feed.xml");
  g_autofree char *atom = site_uri (fixture, "/atom.xml");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DtxDiscovered *first, *second;

  results = discover (fixture, page, &error);
  g_assert_no_error (error);
  /* Three announcements, one of them twice: two choices, in page order. */
  g_assert_cmpuint (results->len, ==, 2);
  first = g_ptr_array_index (results, 0);
  second = g_ptr_array_index (results, 1);
  g_assert_cmpstr (first->url, ==, rss);
  g_assert_cmpstr (first->title, ==, "Blog Kopi & Kode");
  g_assert_cmpstr (second->url, ==, atom);
  g_assert_cmpstr (second->title, ==, "Catatan Atom");
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/blog/feed.xml"), ==, 1);
}

static void
test_no_feed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *page = site_uri (fixture, "/shop/");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = discover (fixture, page, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NO_FEED);
  g_assert_null (results);
  g_assert_cmpstr (error->message, ==,
                   "No feed was found at 127.0.0.1. Check the address, or paste the address of the site’s feed.");
  g_clear_error (&error);
  /* The page and the ?rest_route= probe; an HTML page is not read again as a feed. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/shop/"), ==, 2);

  /* What cannot be an address says so before any request. */
  results = discover (fixture, "berita hari ini", &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NO_FEED);
  g_assert_nonnull (strstr (error->message, "“berita hari ini” is not a web address"));
  g_clear_error (&error);

  /* A 404 says the page is missing, not that there is no feed. */
  {
    g_autofree char *missing = site_uri (fixture, "/tidak-ada/");

    results = discover (fixture, missing, &error);
    g_assert_error (error, DTX_ERROR, DTX_ERROR_HTTP);
  }
}

static void
test_redirect_chain (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *start = site_uri (fixture, "/old");
  g_autofree char *feed = site_uri (fixture, "/blog/feed.xml");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = discover (fixture, start, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  /* The feed's relative href resolved against where the redirects ended. */
  g_assert_cmpstr (((DtxDiscovered *)g_ptr_array_index (results, 0))->url, ==, feed);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/old"), ==, 1);
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/older/"), ==, 1);
}

static void
test_redirect_loop (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *start = site_uri (fixture, "/loop-a");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = discover (fixture, start, &error);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_NETWORK);
  g_assert_null (results);
  g_assert_cmpstr (error->message, ==,
                   "127.0.0.1 keeps redirecting in a loop. Check the address, or try again later.");
  /* libsoup gives up after 20 redirects: the loop was stopped. */
  g_assert_cmpuint (dtx_test_site_count_requests (fixture->site, "/loop-a") +
                    dtx_test_site_count_requests (fixture->site, "/loop-b"), <=, 21);
}

/* Typed without a scheme: https:// first; a site that speaks only plain
 * http:// (the test site does) is found there. */
static void
test_typed_without_scheme (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *url = dtx_test_site_get_url (fixture->site);
  g_autofree char *typed = g_strconcat (url + strlen ("http://"), "/blog/", NULL);
  g_autofree char *feed = site_uri (fixture, "/blog/feed.xml");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  /* A TLS hello to a plain HTTP server gets no answer: it times out. */
  dtx_fetcher_set_timeout (fixture->fetcher, 1);
  results = discover (fixture, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (((DtxDiscovered *)g_ptr_array_index (results, 0))->url, ==, feed);

  /* Typed with https:// it stays https://: the failure is the answer. */
  g_clear_pointer (&results, g_ptr_array_unref);
  {
    g_autofree char *https = g_strconcat ("https://", typed, NULL);

    results = discover (fixture, https, &error);
    g_assert_nonnull (error);
    g_assert_true (error->domain == DTX_ERROR);
    g_assert_null (results);
  }
}

/* A page of megabytes, deep and unclosed, with junk links: only its head is
 * read, the feed is found. */
static void
test_hostile_page (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *page = site_uri (fixture, "/besar/");
  g_autofree char *feed = site_uri (fixture, "/blog/feed.xml");
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  GString *html = g_string_new ("<html><head>");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (html, "<link rel=\"alternate\" type=\"text/html\" href=\"/x/%u\"><meta a%u=b>", i, i);
  g_string_append (html, "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/blog/feed.xml\">"
                         "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"javascript:void(0)\">"
                         "</head><body>");
  for (guint i = 0; i < 400000; i++)
    g_string_append (html, "<div><span>");
  dtx_test_site_add_page (fixture->site, "/besar/", 200, HTML, html->str);
  g_string_free (html, TRUE);

  results = discover (fixture, page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (((DtxDiscovered *)g_ptr_array_index (results, 0))->url, ==, feed);
}

static void
test_youtube_mapping (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "https://www.youtube.com/channel/UCBR8-60-B28hp2BmDPdntcQ",
      "https://www.youtube.com/feeds/videos.xml?channel_id=UCBR8-60-B28hp2BmDPdntcQ" },
    { "youtube.com/channel/UCBR8-60-B28hp2BmDPdntcQ/videos",
      "https://www.youtube.com/feeds/videos.xml?channel_id=UCBR8-60-B28hp2BmDPdntcQ" },
    { "https://m.youtube.com/user/GoogleDevelopers",
      "https://www.youtube.com/feeds/videos.xml?user=GoogleDevelopers" },
    { "https://www.youtube.com/playlist?list=PLOU2XLYxmsIIM9h1Ybw2DuRw6o2fkNMeR",
      "https://www.youtube.com/feeds/videos.xml?playlist_id=PLOU2XLYxmsIIM9h1Ybw2DuRw6o2fkNMeR" },
    { "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs",
      "https://www.youtube.com/feeds/videos.xml?playlist_id=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs" },
    /* A handle needs its page; a video alone is no channel. */
    { "https://www.youtube.com/@GoogleDevelopers", NULL },
    { "https://www.youtube.com/watch?v=dQw4w9WgXcQ", NULL },
    { "https://www.youtube.com/channel/<script>", NULL },
    { "https://example.com/channel/UCBR8-60-B28hp2BmDPdntcQ", NULL },
    { "https://youtube.com.evil.example/user/x", NULL },
    { "", NULL },
  };
  static const char handle_page[] =
    "<html><head><meta property=\"og:title\" content=\"Kanal\">"
    "<meta itemprop=\"channelId\" content=\"UC_x5XG1OV2P6uZZ5FSM9Ttw\"></head>"
    "<body><script>var ytInitialData = {\"externalId\":\"UC_x5XG1OV2P6uZZ5FSM9Ttw\"};</script></body></html>";
  static const char json_only_page[] = "{\"header\":{\"channelId\":\"UCBR8-60-B28hp2BmDPdntcQ\"}}";
  g_autofree char *from_handle = NULL;
  g_autofree char *from_json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *feed = dtx_source_discovery_youtube_feed_url (cases[i].in);

      g_assert_cmpstr (feed, ==, cases[i].out);
    }

  from_handle = dtx_source_discovery_youtube_feed_from_page (handle_page, strlen (handle_page));
  g_assert_cmpstr (from_handle, ==, "https://www.youtube.com/feeds/videos.xml?channel_id=UC_x5XG1OV2P6uZZ5FSM9Ttw");
  from_json = dtx_source_discovery_youtube_feed_from_page (json_only_page, strlen (json_only_page));
  g_assert_cmpstr (from_json, ==, "https://www.youtube.com/feeds/videos.xml?channel_id=UCBR8-60-B28hp2BmDPdntcQ");
  g_assert_null (dtx_source_discovery_youtube_feed_from_page ("<html></html>", 13));
}

static void
test_typed_addresses (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "example.com", "https://example.com/" },
    { "  digitripx.id/ ", "https://digitripx.id/" },
    { "http://example.org/blog/", "http://example.org/blog/" },
    { "feed://example.org/rss.xml", "https://example.org/rss.xml" },
    { "feed:https://example.org/atom", "https://example.org/atom" },
    { "localhost:8080", "https://localhost:8080/" },
    { "berita", NULL },
    { "ftp://example.org/", NULL },
    { "javascript:alert(1)", NULL },
    { "two words.com", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = dtx_source_discovery_normalise_typed (cases[i].in);

      g_assert_cmpstr (url, ==, cases[i].out);
    }
}

static void
test_feeds_from_html (void)
{
  static const char page[] =
    "<html><head>"
    "<link rel=\"alternate stylesheet\" href=\"x.css\">"
    "<link rel=\"alternate\" type=\"application/rss+xml; charset=UTF-8\" href=\" ../feed/ \">"
    "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"javascript:alert(1)\">"
    "<link rel=\"alternate\" type=\"application/atom+xml\">"
    "<link rel=\"alternate\" type=\"application/feed+json\" href=\"//cdn.example/feed.json\">"
    "</head><body>";
  g_autoptr(GPtrArray) feeds = dtx_source_discovery_feeds_from_html (page, strlen (page),
                                                                      "https://example.org/blog/post/");

  g_assert_cmpuint (feeds->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (feeds, 0), ==, "https://example.org/blog/feed/");
  g_assert_cmpstr (g_ptr_array_index (feeds, 1), ==, "https://cdn.example/feed.json");

  g_clear_pointer (&feeds, g_ptr_array_unref);
  feeds = dtx_source_discovery_feeds_from_html ("", 0, "https://example.org/");
  g_assert_cmpuint (feeds->len, ==, 0);
}

static void
test_boxed (void)
{
  g_autoptr(DtxFetcher) fetcher = dtx_fetcher_new ();
  DtxDiscovered bare = { (char *)"https://www.example.org", DTX_SOURCE_KIND_WORDPRESS,
                         (char *)"https://www.example.org/wp-json/", (char *)"example.org", NULL, NULL };
  g_autoptr(DtxSource) source = dtx_discovered_create_source (&bare, fetcher);
  DtxDiscovered d = { (char *)"https://example.org/feed/", DTX_SOURCE_KIND_FEED, NULL,
                      (char *)"Contoh", NULL, NULL };
  g_autoptr(DtxDiscovered) copy = dtx_discovered_copy (&d);

  g_assert_cmpstr (copy->url, ==, d.url);
  g_assert_cmpstr (copy->title, ==, "Contoh");
  g_assert_cmpint (copy->kind, ==, DTX_SOURCE_KIND_FEED);
  g_assert_true (g_type_is_a (DTX_TYPE_DISCOVERED, G_TYPE_BOXED));

  /* The host stood in for a name: the source still asks the site for one. */
  g_assert_null (dtx_source_get_site_title (source));
  g_assert_cmpstr (dtx_source_get_title (source), ==, "example.org");
  g_assert_cmpstr (dtx_source_get_api_root (source), ==, bare.api_root);
}

#define ADD(path, mode, func) \
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("/discovery/wordpress/link-header", DTX_TEST_SITE_LINK_HEADER_ONLY, test_wordpress_announced);
  ADD ("/discovery/wordpress/link-tag", DTX_TEST_SITE_LINK_TAG_ONLY, test_wordpress_announced);
  ADD ("/discovery/wordpress/rest-route", DTX_TEST_SITE_REST_QUERY_ONLY, test_wordpress_rest_route);
  ADD ("/discovery/wordpress/rest-closed", DTX_TEST_SITE_REST_DISABLED, test_wordpress_rest_closed);
  ADD ("/discovery/rss-by-link-tag", DTX_TEST_SITE_REST_MISSING, test_rss_by_link_tag);
  ADD ("/discovery/atom", DTX_TEST_SITE_REST_MISSING, test_atom);
  ADD ("/discovery/json-feed", DTX_TEST_SITE_REST_MISSING, test_json_feed);
  ADD ("/discovery/two-feeds", DTX_TEST_SITE_REST_MISSING, test_two_feeds);
  ADD ("/discovery/no-feed", DTX_TEST_SITE_REST_MISSING, test_no_feed);
  ADD ("/discovery/redirect-chain", DTX_TEST_SITE_REST_MISSING, test_redirect_chain);
  ADD ("/discovery/redirect-loop", DTX_TEST_SITE_REST_MISSING, test_redirect_loop);
  ADD ("/discovery/typed-without-scheme", DTX_TEST_SITE_REST_MISSING, test_typed_without_scheme);
  ADD ("/discovery/hostile-page", DTX_TEST_SITE_REST_MISSING, test_hostile_page);
  g_test_add_func ("/discovery/youtube-mapping", test_youtube_mapping);
  g_test_add_func ("/discovery/typed-addresses", test_typed_addresses);
  g_test_add_func ("/discovery/feeds-from-html", test_feeds_from_html);
  g_test_add_func ("/discovery/boxed", test_boxed);

  return g_test_run ();
}
