/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-article"
#include "config.h"

#include "dtx-article.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_round_trip (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autoptr(GDateTime) date = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);
  const char * const cats[] = { "Aplikasi", "Gadget & Gawai", NULL };
  g_autofree char *link = NULL, *title = NULL, *excerpt = NULL, *content = NULL;
  g_autofree char *author = NULL, *image_url = NULL, *source_name = NULL;
  g_autoptr(GDateTime) got_date = NULL;
  g_auto(GStrv) got_cats = NULL;
  gint64 id = 0;

  g_object_set (article,
                "id", (gint64)501,
                "link", "https://example.id/a/",
                "title", "Judul – “kutip”",
                "excerpt", "Ringkasan",
                "content", "<p>Isi</p>",
                "author", "Redaksi",
                "date", date,
                "image-url", "https://example.id/a.jpg",
                "categories", cats,
                "source-name", "Contoh",
                NULL);

  /* Through the accessors… */
  g_assert_cmpint (dtx_article_get_id (article), ==, 501);
  g_assert_cmpstr (dtx_article_get_link (article), ==, "https://example.id/a/");
  g_assert_cmpstr (dtx_article_get_title (article), ==, "Judul – “kutip”");
  g_assert_cmpstr (dtx_article_get_excerpt (article), ==, "Ringkasan");
  g_assert_cmpstr (dtx_article_get_content (article), ==, "<p>Isi</p>");
  g_assert_cmpstr (dtx_article_get_author (article), ==, "Redaksi");
  g_assert_true (g_date_time_equal (dtx_article_get_date (article), date));
  g_assert_cmpstr (dtx_article_get_image_url (article), ==, "https://example.id/a.jpg");
  g_assert_cmpstrv (dtx_article_get_categories (article), cats);
  g_assert_cmpstr (dtx_article_get_source_name (article), ==, "Contoh");

  /* …and through GObject properties, as bindings and the UI read them. */
  g_object_get (article,
                "id", &id,
                "link", &link,
                "title", &title,
                "excerpt", &excerpt,
                "content", &content,
                "author", &author,
                "date", &got_date,
                "image-url", &image_url,
                "categories", &got_cats,
                "source-name", &source_name,
                NULL);
  g_assert_cmpint (id, ==, 501);
  g_assert_cmpstr (link, ==, "https://example.id/a/");
  g_assert_cmpstr (title, ==, "Judul – “kutip”");
  g_assert_cmpstr (excerpt, ==, "Ringkasan");
  g_assert_cmpstr (content, ==, "<p>Isi</p>");
  g_assert_cmpstr (author, ==, "Redaksi");
  g_assert_true (g_date_time_equal (got_date, date));
  g_assert_cmpstr (image_url, ==, "https://example.id/a.jpg");
  g_assert_cmpstrv (got_cats, cats);
  g_assert_cmpstr (source_name, ==, "Contoh");
}

static void
test_defaults (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();

  g_assert_cmpint (dtx_article_get_id (article), ==, 0);
  g_assert_null (dtx_article_get_link (article));
  g_assert_null (dtx_article_get_title (article));
  g_assert_null (dtx_article_get_excerpt (article));
  g_assert_null (dtx_article_get_content (article));
  g_assert_null (dtx_article_get_author (article));
  g_assert_null (dtx_article_get_date (article));
  g_assert_null (dtx_article_get_image_url (article));
  g_assert_null (dtx_article_get_categories (article));
  g_assert_null (dtx_article_get_source_name (article));
}

static void
test_notify_strings (void)
{
  static const char * const props[] = {
    "link", "title", "excerpt", "content", "author", "image-url", "source-name",
  };

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      g_autoptr(DtxArticle) article = dtx_article_new ();
      g_autofree char *signal = g_strdup_printf ("notify::%s", props[i]);
      guint count = 0;

      g_test_message ("property %s", props[i]);
      g_signal_connect (article, signal, G_CALLBACK (count_notify), &count);

      g_object_set (article, props[i], "a", NULL);
      g_assert_cmpuint (count, ==, 1);
      /* The same value again: no notification (list rows would redraw). */
      g_object_set (article, props[i], "a", NULL);
      g_assert_cmpuint (count, ==, 1);
      g_object_set (article, props[i], "b", NULL);
      g_assert_cmpuint (count, ==, 2);
      g_object_set (article, props[i], NULL, NULL);
      g_assert_cmpuint (count, ==, 3);
      g_object_set (article, props[i], NULL, NULL);
      g_assert_cmpuint (count, ==, 3);
    }
}

static void
test_notify_setters (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  guint count = 0;

  /* The C setters notify exactly like g_object_set(). */
  g_signal_connect (article, "notify::title", G_CALLBACK (count_notify), &count);
  dtx_article_set_title (article, "Judul");
  dtx_article_set_title (article, "Judul");
  g_assert_cmpuint (count, ==, 1);
  dtx_article_set_title (article, "Judul lain");
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpstr (dtx_article_get_title (article), ==, "Judul lain");
}

static void
test_notify_id (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  guint count = 0;

  g_signal_connect (article, "notify::id", G_CALLBACK (count_notify), &count);
  dtx_article_set_id (article, 0);
  g_assert_cmpuint (count, ==, 0);
  dtx_article_set_id (article, 42);
  g_assert_cmpuint (count, ==, 1);
  dtx_article_set_id (article, 42);
  g_assert_cmpuint (count, ==, 1);
  dtx_article_set_id (article, G_MAXINT64);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpint (dtx_article_get_id (article), ==, G_MAXINT64);
}

static void
test_notify_date (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autoptr(GDateTime) first = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);
  g_autoptr(GDateTime) second = g_date_time_new_utc (2024, 5, 4, 2, 30, 0);
  guint count = 0;

  g_signal_connect (article, "notify::date", G_CALLBACK (count_notify), &count);
  dtx_article_set_date (article, NULL);
  g_assert_cmpuint (count, ==, 0);
  dtx_article_set_date (article, first);
  g_assert_cmpuint (count, ==, 1);
  dtx_article_set_date (article, first);
  g_assert_cmpuint (count, ==, 1);
  dtx_article_set_date (article, second);
  g_assert_cmpuint (count, ==, 2);
  g_assert_true (dtx_article_get_date (article) == second);
  dtx_article_set_date (article, NULL);
  g_assert_cmpuint (count, ==, 3);
  g_assert_null (dtx_article_get_date (article));
}

static void
test_date_reference (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  GDateTime *date = g_date_time_new_utc (2024, 5, 3, 2, 30, 0);

  /* The article holds its own reference. */
  dtx_article_set_date (article, date);
  g_date_time_unref (date);
  g_assert_cmpint (g_date_time_get_year (dtx_article_get_date (article)), ==, 2024);
}

static void
test_categories_copy (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  char *cats[] = { g_strdup ("Aplikasi"), g_strdup ("AI"), NULL };
  const char * const *got;
  guint count = 0;

  g_signal_connect (article, "notify::categories", G_CALLBACK (count_notify), &count);
  dtx_article_set_categories (article, (const char * const *)cats);
  g_assert_cmpuint (count, ==, 1);

  /* The caller's array and strings are copied, not kept. */
  g_free (cats[0]);
  cats[0] = g_strdup ("Changed");
  got = dtx_article_get_categories (article);
  g_assert_true ((gpointer)got != (gpointer)cats);
  g_assert_cmpuint (g_strv_length ((char **)got), ==, 2);
  g_assert_cmpstr (got[0], ==, "Aplikasi");
  g_assert_cmpstr (got[1], ==, "AI");
  g_free (cats[0]);
  g_free (cats[1]);

  dtx_article_set_categories (article, NULL);
  g_assert_null (dtx_article_get_categories (article));
  g_assert_cmpuint (count, ==, 2);
}

/* Its own array handed back: it used to be freed before being copied. */
static void
test_categories_self (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  const char * const cats[] = { "Aplikasi", "AI", NULL };

  dtx_article_set_categories (article, cats);
  dtx_article_set_categories (article, dtx_article_get_categories (article));
  g_assert_cmpstrv (dtx_article_get_categories (article), cats);
}

static void
test_excerpt_tails (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Sebuah aplikasi catatan kini bisa sinkron [&hellip;]", "Sebuah aplikasi catatan kini bisa sinkron" },
    { "Sebuah aplikasi catatan kini bisa sinkron […]", "Sebuah aplikasi catatan kini bisa sinkron" },
    { "Ponsel lipat baru hadir. [...] Baca selengkapnya", "Ponsel lipat baru hadir." },
    { "Ponsel lipat baru hadir. Read more…", "Ponsel lipat baru hadir." },
    { "Ponsel lipat baru hadir… Continue reading →", "Ponsel lipat baru hadir…" },
    { "Tunggu dulu...", "Tunggu dulu..." },
    { "Harga naik → turun", "Harga naik → turun" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DtxArticle) article = dtx_article_new ();

      dtx_article_set_excerpt (article, cases[i].in);
      g_assert_cmpstr (dtx_article_get_excerpt (article), ==, cases[i].out);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/article/properties/round-trip", test_round_trip);
  g_test_add_func ("/article/properties/defaults", test_defaults);
  g_test_add_func ("/article/notify/strings", test_notify_strings);
  g_test_add_func ("/article/notify/setters", test_notify_setters);
  g_test_add_func ("/article/notify/id", test_notify_id);
  g_test_add_func ("/article/notify/date", test_notify_date);
  g_test_add_func ("/article/date/reference", test_date_reference);
  g_test_add_func ("/article/categories/copy", test_categories_copy);
  g_test_add_func ("/article/categories/self", test_categories_self);

  g_test_add_func ("/article/excerpt-tails", test_excerpt_tails);
  return g_test_run ();
}
