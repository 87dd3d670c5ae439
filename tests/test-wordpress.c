/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-wordpress"
#include "config.h"

#include <string.h>

#include "dtx-article.h"
#include "dtx-error.h"
#include "dtx-wordpress.h"

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = g_build_filename (DTX_FIXTURES_DIR, "wordpress", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static GPtrArray *
parse_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = load_fixture (name);
  g_autoptr(GError) error = NULL;
  GPtrArray *articles;

  articles = dtx_wordpress_parse_posts (bytes, "Contoh", &error);
  g_assert_no_error (error);
  g_assert_nonnull (articles);
  return articles;
}

static GPtrArray *
parse_string (const char *json, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return dtx_wordpress_parse_posts (bytes, NULL, error);
}

#define ARTICLE(arr, i) ((DtxArticle *)g_ptr_array_index ((arr), (i)))

static void
assert_utc (GDateTime *date, const char *expected)
{
  g_autofree char *formatted = NULL;

  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 0);
  formatted = g_date_time_format_iso8601 (date);
  g_assert_cmpstr (formatted, ==, expected);
}

static void
test_parse_basic (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");

  g_assert_cmpuint (articles->len, ==, 3);
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 0)), ==, 501);
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 1)), ==, 502);
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 2)), ==, 503);
  g_assert_cmpstr (dtx_article_get_link (ARTICLE (articles, 0)), ==,
                   "https://example.id/aplikasi-catatan-sinkron-offline/");
  for (guint i = 0; i < articles->len; i++)
    g_assert_cmpstr (dtx_article_get_source_name (ARTICLE (articles, i)), ==, "Contoh");
}

static void
test_parse_entities (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");

  g_assert_cmpstr (dtx_article_get_title (ARTICLE (articles, 0)), ==,
                   "Aplikasi Catatan Baru Bisa Sinkron Tanpa Internet – Begini Caranya");
  g_assert_cmpstr (dtx_article_get_title (ARTICLE (articles, 1)), ==,
                   "Review Ponsel Lipat: Layar 7,6” & Baterai 4.400 mAh");
  g_assert_cmpstr (dtx_article_get_title (ARTICLE (articles, 2)), ==,
                   "Tanpa Gambar Unggulan: Catatan Redaksi");
}

static void
test_parse_excerpt (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");
  g_autoptr(GPtrArray) fallbacks = parse_fixture ("media-fallbacks.json");

  /* The theme's "Baca selengkapnya" more-link is gone, entities decoded. */
  g_assert_cmpstr (dtx_article_get_excerpt (ARTICLE (articles, 0)), ==,
                   "Sebuah aplikasi catatan open source kini bisa menyinkronkan data. "
                   "Fitur ini “menghemat kuota” …");
  g_assert_cmpstr (dtx_article_get_excerpt (ARTICLE (articles, 1)), ==,
                   "Ponsel lipat terbaru hadir dengan engsel yang lebih tipis."); /* WordPress’s […] trimmed */
  /* A more-link with other classes and nested markup. */
  g_assert_cmpstr (dtx_article_get_excerpt (ARTICLE (fallbacks, 2)), ==, "Ringkasan.");
}

/* Markers the stripper must pass over, many of them: it once rescanned the
 * excerpt for each one, which a hostile site could use to freeze the app. */
static void
test_parse_excerpt_hostile (void)
{
  g_autoptr(GString) json = g_string_new ("[{\"link\": \"https://example.id/x/\", "
                                          "\"excerpt\": {\"rendered\": \"<p>Tetap ");
  g_autoptr(GPtrArray) articles = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append (json, "more-link ");
  g_string_append (json, "<a class='more-link'>Baca</a> <b class='more-link'>ada</b> "
                         "<a class='more-link'>tanpa penutup</p>\"}}]");

  articles = parse_string (json->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (articles->len, ==, 1);
  g_assert_true (g_str_has_prefix (dtx_article_get_excerpt (ARTICLE (articles, 0)), "Tetap more-link more-link"));
  g_assert_true (g_str_has_suffix (dtx_article_get_excerpt (ARTICLE (articles, 0)),
                                   "more-link ada tanpa penutup"));
}

static void
test_parse_content_raw (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");
  const char *content = dtx_article_get_content (ARTICLE (articles, 2));

  /* The parser keeps the HTML untouched; sanitising is the reader's job. */
  g_assert_nonnull (strstr (content, "<script>console.log(\"iklan\")</script>"));
  g_assert_nonnull (strstr (content, "<a href=\"/catatan-lain/\">"));
  g_assert_nonnull (strstr (dtx_article_get_content (ARTICLE (articles, 1)),
                            "https://www.youtube.com/embed/dQw4w9WgXcQ"));
}

static void
test_parse_dates (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");
  g_autoptr(GPtrArray) fallbacks = parse_fixture ("media-fallbacks.json");

  /* date_gmt is UTC even though it carries no zone. */
  assert_utc (dtx_article_get_date (ARTICLE (articles, 0)), "2024-05-03T02:30:00Z");
  assert_utc (dtx_article_get_date (ARTICLE (articles, 1)), "2024-05-02T02:00:00Z");
  assert_utc (dtx_article_get_date (ARTICLE (articles, 2)), "2024-05-01T02:00:00Z");

  /* Without date_gmt, "date" is taken as UTC. */
  assert_utc (dtx_article_get_date (ARTICLE (fallbacks, 0)), "2024-05-05T08:15:30Z");
  assert_utc (dtx_article_get_date (ARTICLE (fallbacks, 1)), "2024-05-05T01:00:00Z");
  /* Both null: no date rather than a made-up one. */
  g_assert_null (dtx_article_get_date (ARTICLE (fallbacks, 2)));
}

static void
test_parse_author (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");
  g_autoptr(GPtrArray) fallbacks = parse_fixture ("media-fallbacks.json");

  g_assert_cmpstr (dtx_article_get_author (ARTICLE (articles, 0)), ==, "Redaksi Contoh");
  /* Post 502's embedded author is a rest_user_invalid_id error object. */
  g_assert_null (dtx_article_get_author (ARTICLE (articles, 1)));
  g_assert_cmpstr (dtx_article_get_author (ARTICLE (articles, 2)), ==, "Redaksi Contoh");
  /* Error object, but Yoast names the author. */
  g_assert_cmpstr (dtx_article_get_author (ARTICLE (fallbacks, 0)), ==, "Penulis Tamu");
}

static void
test_parse_featured_media (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");

  /* medium_large is preferred over large and full. */
  g_assert_cmpstr (dtx_article_get_image_url (ARTICLE (articles, 0)), ==,
                   "https://example.id/wp-content/uploads/2024/05/catatan-768x432.jpg");
  /* No medium_large: large next. */
  g_assert_cmpstr (dtx_article_get_image_url (ARTICLE (articles, 1)), ==,
                   "https://example.id/wp-content/uploads/2024/05/lipat-1024x576.jpg");
  /* featured_media 0 and no wp:featuredmedia key. */
  g_assert_null (dtx_article_get_image_url (ARTICLE (articles, 2)));
}

static void
test_parse_media_fallbacks (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("media-fallbacks.json");

  g_assert_cmpuint (articles->len, ==, 3);
  /* The embedded media is an error object: Jetpack's URL instead. */
  g_assert_cmpstr (dtx_article_get_image_url (ARTICLE (articles, 0)), ==,
                   "https://example.id/wp-content/uploads/2024/05/jetpack.jpg");
  /* No sizes: the original. */
  g_assert_cmpstr (dtx_article_get_image_url (ARTICLE (articles, 1)), ==,
                   "https://example.id/wp-content/uploads/2024/05/original.png");
  /* Only thumbnail and full: full, never the tiny thumbnail. */
  g_assert_cmpstr (dtx_article_get_image_url (ARTICLE (articles, 2)), ==,
                   "https://example.id/full.jpg");
}

static void
test_parse_categories (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("posts-page1.json");
  const char * const *cats;

  /* Categories only, not tags, names decoded. */
  cats = dtx_article_get_categories (ARTICLE (articles, 0));
  g_assert_nonnull (cats);
  g_assert_cmpuint (g_strv_length ((char **)cats), ==, 2);
  g_assert_cmpstr (cats[0], ==, "Aplikasi");
  g_assert_cmpstr (cats[1], ==, "Tips & Trik");

  cats = dtx_article_get_categories (ARTICLE (articles, 1));
  g_assert_nonnull (cats);
  g_assert_cmpuint (g_strv_length ((char **)cats), ==, 1);
  g_assert_cmpstr (cats[0], ==, "Gadget & Gawai");
}

static void
test_parse_empty (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("empty.json");

  g_assert_cmpuint (articles->len, ==, 0);
}

static void
test_parse_truncated (void)
{
  g_autoptr(GBytes) bytes = load_fixture ("truncated.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = dtx_wordpress_parse_posts (bytes, NULL, &error);

  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (articles);
  /* No parser text such as "<data>:1:41: Parse error: …" */
  g_assert_cmpstr (error->message, ==, "The site sent a damaged list of articles.");
}

static void
test_parse_not_array (void)
{
  g_autoptr(GBytes) bytes = load_fixture ("not-array.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = dtx_wordpress_parse_posts (bytes, NULL, &error);

  g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
  g_assert_null (articles);
}

static void
test_parse_error_object (void)
{
  static const struct { const char *file, *message; } cases[] = {
    { "error-invalid-page.json",
      "The page number requested is larger than the number of pages available." },
    { "error-rest-disabled.json", "Only authenticated users can access the REST API." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = load_fixture (cases[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) articles = dtx_wordpress_parse_posts (bytes, NULL, &error);

      g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
      g_assert_null (articles);
      /* The server's English stays in the log. */
      g_assert_null (strstr (error->message, cases[i].message));
      g_assert_cmpstr (error->message, ==, "The site refused to list its articles.");
    }
}

static void
test_parse_garbage (void)
{
  static const char * const inputs[] = {
    "", " ", "null", "42", "\"posts\"", "<!DOCTYPE html><html><body>Not JSON</body></html>",
    "[", "[{]", "{\"code\": 5}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) articles = parse_string (inputs[i], &error);

      g_assert_error (error, DTX_ERROR, DTX_ERROR_PARSE);
      g_assert_null (articles);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_null (strstr (error->message, "<data>"));
      g_assert_null (strstr (error->message, "Parse error"));
    }
}

static void
test_parse_wrong_types (void)
{
  g_autoptr(GPtrArray) articles = parse_fixture ("wrong-types.json");
  const char * const *cats;

  /* Non-objects and the post with neither link nor title are skipped. */
  g_assert_cmpuint (articles->len, ==, 3);

  /* title as a number, _embedded as a string, id as a string. */
  g_assert_cmpstr (dtx_article_get_link (ARTICLE (articles, 0)), ==,
                   "https://example.id/title-is-a-number/");
  g_assert_null (dtx_article_get_title (ARTICLE (articles, 0)));
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 0)), ==, 0);
  g_assert_null (dtx_article_get_author (ARTICLE (articles, 0)));
  g_assert_null (dtx_article_get_date (ARTICLE (articles, 0)));
  g_assert_null (dtx_article_get_excerpt (ARTICLE (articles, 0)));
  g_assert_null (dtx_article_get_content (ARTICLE (articles, 0)));

  /* A title that is a plain string, not {"rendered": …}. */
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 1)), ==, 602);
  g_assert_cmpstr (dtx_article_get_title (ARTICLE (articles, 1)), ==, "Flat title & no wrapper");
  assert_utc (dtx_article_get_date (ARTICLE (articles, 1)), "2024-05-04T10:00:00Z");
  g_assert_null (dtx_article_get_author (ARTICLE (articles, 1)));
  g_assert_null (dtx_article_get_image_url (ARTICLE (articles, 1)));
  cats = dtx_article_get_categories (ARTICLE (articles, 1));
  g_assert_nonnull (cats);
  g_assert_cmpuint (g_strv_length ((char **)cats), ==, 1);
  g_assert_cmpstr (cats[0], ==, "Berita");

  /* A negative id is not a key. */
  g_assert_cmpint (dtx_article_get_id (ARTICLE (articles, 2)), ==, 0);
  g_assert_null (dtx_article_get_categories (ARTICLE (articles, 2)));
}

static void
test_link_header (void)
{
  static const struct { const char *header, *expected; } cases[] = {
    { "<https://example.id/wp-json/>; rel=\"https://api.w.org/\"", "https://example.id/wp-json/" },
    /* Several links; the API one is not first; URLs with commas. */
    { "<https://example.id/wp-json/wp/v2/posts?_embed=author,wp:term&page=2>; rel=\"next\", "
      "<https://example.id/wp-json/>; rel=\"https://api.w.org/\", "
      "<https://example.id/wp-json/wp/v2/pages/2>; rel=\"alternate\"; type=\"application/json\"",
      "https://example.id/wp-json/" },
    /* Unquoted rel, odd spacing, other parameters first. */
    { "<https://example.id/?rest_route=/> ;type=application/json;rel=https://api.w.org/",
      "https://example.id/?rest_route=/" },
    /* rel listing several relation types. */
    { "<https://a.example/wp-json/>; rel=\"shortlink https://api.w.org/\"", "https://a.example/wp-json/" },
    { "<https://example.id/?p=5>; rel=shortlink", NULL },
    { "<https://example.id/wp-json/wp/v2/pages/2>; rel=\"alternate\"; type=\"application/json\"", NULL },
    { "", NULL },
    { "garbage, <unterminated; rel=\"https://api.w.org/\"", NULL },
    { "<>; rel=\"https://api.w.org/\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *root = dtx_wordpress_api_root_from_link_header (cases[i].header);
      g_assert_cmpstr (root, ==, cases[i].expected);
    }

  g_assert_null (dtx_wordpress_api_root_from_link_header (NULL));
}

static void
test_html (void)
{
  static const struct { const char *file, *expected; } cases[] = {
    { "home.html", "https://example.id/wp-json/" },
    /* In the body, single quotes, rel before href, &amp; decoded. */
    { "home-rest-route.html", "https://example.id/index.php?rest_route=/&lang=id" },
    { "home-none.html", NULL },
  };
  const char *junk = "<<<>>> not html at all \x01\x02";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = load_fixture (cases[i].file);
      gsize length;
      const char *html = g_bytes_get_data (bytes, &length);
      g_autofree char *root = dtx_wordpress_api_root_from_html (html, length);

      g_assert_cmpstr (root, ==, cases[i].expected);
    }

  g_assert_null (dtx_wordpress_api_root_from_html (junk, strlen (junk)));
  g_assert_null (dtx_wordpress_api_root_from_html ("", 0));
}

static void
test_posts_url (void)
{
  static const struct { const char *root; guint page; const char *slug, *expected; } cases[] = {
    { "https://example.id/wp-json/", 1, NULL,
      "https://example.id/wp-json/wp/v2/posts?_embed=author,wp:featuredmedia,wp:term&per_page=20&page=1" },
    { "https://example.id/wp-json", 3, NULL,
      "https://example.id/wp-json/wp/v2/posts?_embed=author,wp:featuredmedia,wp:term&per_page=20&page=3" },
    { "https://example.id/wp-json/", 1, "review-ponsel-lipat",
      "https://example.id/wp-json/wp/v2/posts?_embed=author,wp:featuredmedia,wp:term&per_page=20&page=1"
      "&slug=review-ponsel-lipat" },
    /* Slugs are escaped. */
    { "https://example.id/wp-json/", 1, "a b&c=d/é",
      "https://example.id/wp-json/wp/v2/posts?_embed=author,wp:featuredmedia,wp:term&per_page=20&page=1"
      "&slug=a%20b%26c%3Dd%2F%C3%A9" },
    { "https://example.id/?rest_route=/", 2, NULL,
      "https://example.id/?rest_route=/wp/v2/posts&_embed=author,wp:featuredmedia,wp:term&per_page=20&page=2" },
    { "https://example.id/index.php?rest_route=/", 1, "halo",
      "https://example.id/index.php?rest_route=/wp/v2/posts&_embed=author,wp:featuredmedia,wp:term"
      "&per_page=20&page=1&slug=halo" },
    { "https://example.id/?rest_route=%2F", 1, NULL,
      "https://example.id/?rest_route=%2Fwp/v2/posts&_embed=author,wp:featuredmedia,wp:term&per_page=20&page=1" },
    /* Page 0 is read as the first page. */
    { "http://127.0.0.1:8080/wp-json/", 0, NULL,
      "http://127.0.0.1:8080/wp-json/wp/v2/posts?_embed=author,wp:featuredmedia,wp:term&per_page=20&page=1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = dtx_wordpress_posts_url (cases[i].root, cases[i].page, cases[i].slug);
      g_assert_cmpstr (url, ==, cases[i].expected);
      g_assert_true (g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wordpress/parse/basic", test_parse_basic);
  g_test_add_func ("/wordpress/parse/entities", test_parse_entities);
  g_test_add_func ("/wordpress/parse/excerpt", test_parse_excerpt);
  g_test_add_func ("/wordpress/parse/excerpt-hostile", test_parse_excerpt_hostile);
  g_test_add_func ("/wordpress/parse/content-raw", test_parse_content_raw);
  g_test_add_func ("/wordpress/parse/dates", test_parse_dates);
  g_test_add_func ("/wordpress/parse/author", test_parse_author);
  g_test_add_func ("/wordpress/parse/featured-media", test_parse_featured_media);
  g_test_add_func ("/wordpress/parse/media-fallbacks", test_parse_media_fallbacks);
  g_test_add_func ("/wordpress/parse/categories", test_parse_categories);
  g_test_add_func ("/wordpress/parse/empty", test_parse_empty);
  g_test_add_func ("/wordpress/parse/truncated", test_parse_truncated);
  g_test_add_func ("/wordpress/parse/not-array", test_parse_not_array);
  g_test_add_func ("/wordpress/parse/error-object", test_parse_error_object);
  g_test_add_func ("/wordpress/parse/garbage", test_parse_garbage);
  g_test_add_func ("/wordpress/parse/wrong-types", test_parse_wrong_types);
  g_test_add_func ("/wordpress/api-root/link-header", test_link_header);
  g_test_add_func ("/wordpress/api-root/html", test_html);
  g_test_add_func ("/wordpress/posts-url", test_posts_url);

  return g_test_run ();
}
