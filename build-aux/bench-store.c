/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's figures on a realistic load: 50,000 articles with HTML bodies
 * of 6-20 KB in mixed Indonesian and English, in a temporary folder.
 *
 *   bench-store [N_ARTICLES]      (default 50000)
 *   bench-store --fill PATH SITE_URL N_ARTICLES
 *                                 only fills the store at PATH with N articles
 *                                 of SITE_URL (for build-aux/bench-stored-start.py)
 *
 * Prints the time to store a page of 100 (call to completion, as the UI
 * sees it), search latency over 100 different queries, the time to list
 * the first page, the size on disk, and PSS with the store open at 0 and at
 * N articles. A benchmark reports; it exits 0 even when a target is missed. */
#define G_LOG_DOMAIN "dtx-bench-store"
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtx-store.h"
#include "dtx-store-private.h"

#define PAGE 100

/* Targets. */
#define SAVE_MS 20.0
#define SEARCH_MEDIAN_MS 20.0
#define SEARCH_WORST_MS 100.0
#define PSS_GROWTH_MB 15.0

/* Words every article uses, whatever it is about. */
static const char * const function_words[] = {
  "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "akan", "pada", "juga", "tidak",
  "dalam", "ada", "bisa", "lebih", "oleh", "sudah", "saat", "karena", "seperti", "kami", "mereka",
  "para", "secara", "hingga", "atau", "kata", "sebagai", "telah", "bahwa", "dapat", "tersebut",
  "namun", "setelah", "masih", "banyak", "menurut", "baru", "tahun", "hari",
  "the", "and", "of", "to", "in", "for", "with", "on", "is", "that", "by", "from", "as", "at",
};

/* Words an article is about: a few of them run through each article. */
static const char * const topical[] = {
  "teknologi", "berita", "pemerintah", "perusahaan", "layanan", "fitur", "internet", "jaringan",
  "harga", "pasar", "digital", "keamanan", "perangkat", "sistem", "informasi", "produk", "rilis",
  "terbaru", "resmi", "indonesia", "jakarta", "kecerdasan", "buatan", "operator", "seluler",
  "kamera", "baterai", "layar", "prosesor", "memori", "pengguna", "aplikasi", "ponsel", "satelit",
  "regulasi", "kementerian", "startup", "investasi", "pendanaan", "platform", "pembayaran",
  "dompet", "elektronik", "belanja", "daring", "kendaraan", "listrik", "pengisian", "sinyal",
  "software", "security", "cloud", "network", "users", "market", "release", "google", "apple",
  "samsung", "xiaomi", "android", "telegram", "whatsapp", "gaming", "chip", "model", "price",
  "update", "launch", "device", "privacy", "browser", "server", "laptop", "tablet", "router",
};

static const char * const syllables[] = {
  "ka", "ri", "tek", "no", "lo", "gi", "ma", "sa", "ta", "ba", "ra", "na", "pe", "me", "se",
  "ber", "ter", "di", "an", "kan", "in", "on", "ic", "ware", "net", "bit", "byte", "pro",
  "max", "ultra", "lite", "go", "zen", "nova", "flux", "core", "link", "sync", "data", "vi",
};

typedef struct {
  GRand        *rand;
  GPtrArray    *names;     /* made-up words: names, products, places */
  const char   *topic[10]; /* what the article being written is about */
} Words;

static void
words_init (Words *w)
{
  w->rand = g_rand_new_with_seed (20261126);
  w->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 20000; i++)
    {
      GString *name = g_string_new (NULL);
      guint n = g_rand_int_range (w->rand, 2, 5);

      for (guint j = 0; j < n; j++)
        g_string_append (name, syllables[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (syllables))]);
      g_ptr_array_add (w->names, g_string_free (name, FALSE));
    }
}

/* In [0, 1), most often near 0: a few names are frequent, most are rare. */
static double
pow_rand (Words *w)
{
  double u = g_rand_double (w->rand);

  return u * u * u;
}

static const char *
any_name (Words *w)
{
  return g_ptr_array_index (w->names, (guint)(w->names->len * pow_rand (w)));
}

static void
pick_topic (Words *w)
{
  for (guint i = 0; i < G_N_ELEMENTS (w->topic); i++)
    w->topic[i] = i < 6 ? topical[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (topical))] : any_name (w);
}

/* Half function words, most of the rest the article's topic, and a few
 * words of anything: a topic word turns up in some articles, not in all. */
static const char *
word (Words *w)
{
  double u = g_rand_double (w->rand);

  if (u < 0.5)
    return function_words[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (function_words))];
  if (u < 0.95)
    return w->topic[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (w->topic))];
  if (u < 0.96)
    return topical[g_rand_int_range (w->rand, 0, G_N_ELEMENTS (topical))];
  return any_name (w);
}

static void
append_words (Words   *w,
              GString *out,
              gsize    length)
{
  gsize start = out->len;

  while (out->len - start < length)
    {
      if (out->len > start)
        g_string_append_c (out, ' ');
      g_string_append (out, word (w));
    }
}

static char *
sentence (Words *w,
          gsize  length)
{
  GString *out = g_string_new (NULL);

  append_words (w, out, length);
  out->str[0] = g_ascii_toupper (out->str[0]);
  return g_string_free (out, FALSE);
}

/* The site the generated articles belong to. */
static const char *site_url = "https://digitripx.id";

static DtxArticle *
make_article (Words *w,
              guint  n)
{
  DtxArticle *article = dtx_article_new ();
  g_autofree char *title = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *link = g_strdup_printf ("%s/%u/artikel-%u/", site_url, 2020 + n % 6, n);
  g_autofree char *image = g_strdup_printf ("%s/wp-content/uploads/%u.jpg", site_url, n);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (1600000000 + (gint64)n * 1800);
  const char *categories[] = { topical[n % G_N_ELEMENTS (topical)], "Teknologi", NULL };
  gsize body_size = g_rand_int_range (w->rand, 6 * 1024, 20 * 1024);
  GString *body = g_string_new (NULL);

  pick_topic (w);
  title = sentence (w, 80);
  excerpt = sentence (w, 300);
  while (body->len < body_size)
    {
      g_string_append (body, "<p>");
      append_words (w, body, 200);
      g_string_append_printf (body, " <a href=\"https://digitripx.id/tag/%s/\">%s</a> <strong>", word (w), word (w));
      append_words (w, body, 60);
      g_string_append (body, "</strong> ");
      append_words (w, body, 300);
      g_string_append (body, ".</p>\n");
      if (g_rand_int_range (w->rand, 0, 6) == 0)
        g_string_append_printf (body, "<figure><img src=\"https://digitripx.id/wp-content/uploads/%u-%u.jpg\""
                                      " alt=\"%s\"></figure>\n", n, (guint)body->len, word (w));
    }

  dtx_article_set_id (article, 100000 + n);
  dtx_article_set_link (article, link);
  dtx_article_set_title (article, title);
  dtx_article_set_excerpt (article, excerpt);
  dtx_article_set_content (article, body->str);
  dtx_article_set_author (article, "Redaksi DigiTripX");
  dtx_article_set_date (article, date);
  dtx_article_set_image_url (article, image);
  dtx_article_set_categories (article, categories);
  dtx_article_set_source_name (article, "DigiTripX");
  g_string_free (body, TRUE);
  return article;
}

/* ------------------------------------------------------------------------ */

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, values->len / 2);
}

static double
worst (GArray *values)
{
  g_array_sort (values, cmp_double);
  return g_array_index (values, double, values->len - 1);
}

static double
pss_mb (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/smaps_rollup", &text, NULL, NULL))
    return -1;
  line = strstr (text, "\nPss:");
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + 5, NULL) / 1024.0;
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / (1024.0 * 1024.0) : 0;
}

static DtxStore *
open_store (const char *path,
            double     *ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  DtxStore *store = dtx_store_new (path);

  dtx_store_open_async (store, NULL, store_result, &result);
  wait_result (&result);
  if (!dtx_store_open_finish (store, result, NULL, NULL, &error))
    g_error ("open: %s", error->message);
  if (ms != NULL)
    *ms = ms_since (start);
  return store;
}

static double
save_page (DtxStore  *store,
           GPtrArray *page)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  dtx_store_save_articles_async (store, site_url, page, NULL, store_result, &result);
  wait_result (&result);
  ms = ms_since (start);
  if (!dtx_store_save_articles_finish (store, result, NULL, &error))
    g_error ("save: %s", error->message);
  return ms;
}

static double
list_page (DtxStore          *store,
           DtxStoreListFlags  flags,
           const char        *search,
           guint              limit,
           guint             *n_found)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  dtx_store_list_async (store, NULL, flags, search, 0, limit, NULL, store_result, &result);
  wait_result (&result);
  articles = dtx_store_list_finish (store, result, &error);
  ms = ms_since (start);
  if (articles == NULL)
    g_error ("list: %s", error->message);
  if (n_found != NULL)
    *n_found = articles->len;
  return ms;
}

static const char *
verdict (gboolean ok)
{
  return ok ? "PASS" : "MISS";
}

/* Fills a store for the app's start-up benchmark, then closes it cleanly. */
static int
fill (const char *path,
      const char *url,
      guint       n_articles)
{
  DtxStore *store;
  Words w;

  site_url = url;
  words_init (&w);
  store = open_store (path, NULL);
  for (guint start = 0; start < n_articles; start += PAGE)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = start; i < MIN (start + PAGE, n_articles); i++)
        g_ptr_array_add (page, make_article (&w, i));
      save_page (store, page);
    }
  g_object_unref (store);
  g_ptr_array_unref (w.names);
  g_rand_free (w.rand);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint n_articles;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dtx-bench-store-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GArray) saves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) late_saves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) topic_searches = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) catch_up = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) lists = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func (g_free);
  DtxStore *store;
  Words w;
  double pss_empty, pss_full, open_ms, reopen_ms, first_list, settle, slowest = 0;
  const char *slowest_query = NULL;
  guint total_found = 0;

  if (argc == 5 && g_str_equal (argv[1], "--fill"))
    {
      if (dir != NULL)
        g_rmdir (dir);
      return fill (argv[2], argv[3], (guint)atoi (argv[4]));
    }
  n_articles = argc > 1 ? (guint)atoi (argv[1]) : 50000;
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "store.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);
  words_init (&w);

  g_print ("Store benchmark: %u articles (bodies 6-20 KB HTML), pages of %d, in %s\n", n_articles, PAGE, dir);

  store = open_store (path, &open_ms);
  list_page (store, DTX_STORE_LIST_ALL, NULL, 50, NULL);
  pss_empty = pss_mb ();

  for (guint start = 0; start < n_articles; start += PAGE)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
      double ms;

      for (guint i = start; i < MIN (start + PAGE, n_articles); i++)
        g_ptr_array_add (page, make_article (&w, i));
      ms = save_page (store, page);
      g_array_append_val (saves, ms);
      if (start + 20 * PAGE >= n_articles)
        g_array_append_val (late_saves, ms);
      if ((start / PAGE) % 50 == 49)
        g_print ("  %u stored, last page %.1f ms\n", start + PAGE, ms);
    }

  /* The first page of the list, as the window asks at start. */
  first_list = list_page (store, DTX_STORE_LIST_ALL, NULL, 50, NULL);
  for (guint i = 0; i < 20; i++)
    {
      double ms = list_page (store, DTX_STORE_LIST_ALL, NULL, 50, NULL);

      g_array_append_val (lists, ms);
    }

  /* 100 different queries: 10 function words (the worst case: they match
   * nearly every article), 35 topic words, 20 names, 20 prefixes, 15 pairs. */
  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (queries, g_strdup (function_words[(i * 5) % G_N_ELEMENTS (function_words)]));
  for (guint i = 0; i < 35; i++)
    g_ptr_array_add (queries, g_strdup (topical[(i * 2) % G_N_ELEMENTS (topical)]));
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (queries, g_strdup (g_ptr_array_index (w.names, (i * 149) % 3000)));
  for (guint i = 0; i < 20; i++)
    {
      const char *full = i % 2 ? topical[(i * 7 + 1) % G_N_ELEMENTS (topical)]
                                : (const char *)g_ptr_array_index (w.names, i * 37);

      g_ptr_array_add (queries, g_strndup (full, MAX (3, strlen (full) * 2 / 3)));
    }
  for (guint i = 0; i < 15; i++)
    g_ptr_array_add (queries, g_strdup_printf ("%s %s", topical[(i * 13) % G_N_ELEMENTS (topical)],
                                               topical[(i * 13 + 5) % G_N_ELEMENTS (topical)]));

  /* The worker indexes and merges while idle; a fill back to back leaves
   * it behind. Settle that first (timed apart), then time the searches. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 start = g_get_monotonic_time ();

    dtx_store_finish_background_for_testing_async (store, store_result, &result);
    wait_result (&result);
    if (!dtx_store_finish_background_for_testing_finish (store, result, &error))
      g_error ("%s", error->message);
    settle = ms_since (start);
  }

  for (guint i = 0; i < queries->len; i++)
    {
      guint found = 0;
      double ms = list_page (store, DTX_STORE_LIST_ALL, g_ptr_array_index (queries, i), 50, &found);

      total_found += found;
      g_array_append_val (searches, ms);
      if (i >= 10)
        g_array_append_val (topic_searches, ms);
      if (ms > slowest)
        {
          slowest = ms;
          slowest_query = g_ptr_array_index (queries, i);
        }
    }

  /* A search right after a page was stored pays for indexing that page
   * (the worker indexes while idle, and before any search). */
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);
      double ms;

      for (guint i = 0; i < PAGE; i++)
        g_ptr_array_add (page, make_article (&w, n_articles + round * PAGE + i));
      save_page (store, page);
      ms = list_page (store, DTX_STORE_LIST_ALL, topical[round * 3], 50, NULL);
      g_array_append_val (catch_up, ms);
    }

  pss_full = pss_mb ();
  g_print ("\n");
  g_print ("store a page of %d    median %6.1f ms  worst %6.1f ms  (all %u pages; target <= %.0f ms)  %s\n",
           PAGE, median (saves), worst (saves), saves->len, SAVE_MS, verdict (median (saves) <= SAVE_MS));
  g_print ("  the last 20 pages     median %6.1f ms  worst %6.1f ms\n", median (late_saves), worst (late_saves));
  g_print ("search (100 queries)   median %6.1f ms  worst %6.1f ms  (\"%s\"; targets <= %.0f / %.0f ms)  %s\n",
           median (searches), worst (searches), slowest_query, SEARCH_MEDIAN_MS, SEARCH_WORST_MS,
           verdict (median (searches) <= SEARCH_MEDIAN_MS && worst (searches) <= SEARCH_WORST_MS));
  g_print ("  without the 10 function words: median %.1f ms, worst %.1f ms; %u rows returned in all\n",
           median (topic_searches), worst (topic_searches), total_found);
  g_print ("indexing and merging the fill left behind  %.0f ms, before the searches\n", settle);
  g_print ("search right after storing a page  median %.1f ms  worst %.1f ms (indexing the page included)\n",
           median (catch_up), worst (catch_up));
  g_print ("list first 50 rows     first %6.1f ms  then median %.1f ms, worst %.1f ms\n",
           first_list, median (lists), worst (lists));
  g_print ("open empty store       %6.1f ms\n", open_ms);
  g_print ("size on disk           %.0f MB (+ WAL %.1f MB)\n", file_mb (path), file_mb (wal));
  g_print ("PSS with store open    %.1f MB empty, %.1f MB at %u articles: +%.1f MB (target <= +%.0f)  %s\n",
           pss_empty, pss_full, n_articles, pss_full - pss_empty, PSS_GROWTH_MB,
           verdict (pss_full - pss_empty <= PSS_GROWTH_MB));

  g_object_unref (store);
  /* Opening again runs the integrity check over the whole file. */
  store = open_store (path, &reopen_ms);
  g_print ("open the full store    %6.1f ms (closed cleanly: no full check)\n", reopen_ms);
  g_object_unref (store);

  g_unlink (wal);
  {
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (shm);
  }
  g_unlink (path);
  g_rmdir (dir);
  g_ptr_array_unref (w.names);
  g_rand_free (w.rand);
  return 0;
}
