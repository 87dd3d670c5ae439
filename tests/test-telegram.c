/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Share links and the Bot API client, against a fake Bot API on 127.0.0.1
 * (tests/dtx-test-bot.c) that answers like api.telegram.org. */
#define G_LOG_DOMAIN "test-telegram"
#include "config.h"

#include "dtx-error.h"
#include "dtx-fetcher.h"
#include "dtx-telegram.h"
#include "dtx-test-bot.h"
#include "dtx-test-site.h"

/* Every log line of the process, to prove the token never gets there. */
static GString *log_text;

static GLogWriterOutput
record_log (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].value != NULL)
      {
        if (fields[i].length < 0)
          g_string_append (log_text, fields[i].value);
        else
          g_string_append_len (log_text, fields[i].value, fields[i].length);
        g_string_append_c (log_text, '\n');
      }
  /* Debug lines would go to stdout, into the TAP stream: keep them here. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

#define OTHER_TOKEN "987654321:ZZxxWrongWrongWrongWrong12"

static void
assert_no_token (const char *text)
{
  g_assert_null (strstr (text, DTX_TEST_BOT_TOKEN));
  g_assert_null (strstr (text, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  g_assert_null (strstr (text, OTHER_TOKEN));
  g_assert_null (strstr (text, "ZZxxWrongWrongWrongWrong12"));
}

/* Share links */

typedef struct {
  const char *name;
  const char *url;
  const char *title;
  const char *query; /* after "…?": url=…&text=… */
} UriCase;

static const UriCase uri_cases[] = {
  { "simple", "https://digitripx.id/aplikasi-catatan/", "Aplikasi Catatan Baru",
    "url=https%3A%2F%2Fdigitripx.id%2Faplikasi-catatan%2F&text=Aplikasi%20Catatan%20Baru" },
  { "entities", "https://digitripx.id/a/", "Apple&#8217;s &quot;M4&quot; &amp; Intel&#x2019;s &hellip;",
    "url=https%3A%2F%2Fdigitripx.id%2Fa%2F&text=Apple%E2%80%99s%20%22M4%22%20%26%20Intel%E2%80%99s%20%E2%80%A6" },
  { "ampersand-query", "https://digitripx.id/cari?q=a&b=c+d", "Harga & Spesifikasi",
    "url=https%3A%2F%2Fdigitripx.id%2Fcari%3Fq%3Da%26b%3Dc%2Bd&text=Harga%20%26%20Spesifikasi" },
  { "fragment-plus-percent", "https://digitripx.id/a/#komentar", "Kenapa #1? 100% +plus",
    "url=https%3A%2F%2Fdigitripx.id%2Fa%2F%23komentar&text=Kenapa%20%231%3F%20100%25%20%2Bplus" },
  { "emoji", "https://digitripx.id/%F0%9F%9A%80/", "Roket 🚀 meluncur 🇮🇩",
    "url=https%3A%2F%2Fdigitripx.id%2F%25F0%259F%259A%2580%2F&text=Roket%20%F0%9F%9A%80%20meluncur%20%F0%9F%87%AE%F0%9F%87%A9" },
  { "right-to-left", "https://digitripx.id/ar/", "مرحبا بالعالم — עברית",
    "url=https%3A%2F%2Fdigitripx.id%2Far%2F&text=%D9%85%D8%B1%D8%AD%D8%A8%D8%A7%20%D8%A8%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85%20%E2%80%94%20%D7%A2%D7%91%D7%A8%D7%99%D7%AA" },
  { "spaces", "https://digitripx.id/a/", "  Spasi   di\ttengah\n",
    "url=https%3A%2F%2Fdigitripx.id%2Fa%2F&text=Spasi%20di%20tengah" },
  { "no-title", "https://digitripx.id/a/?x=1", NULL,
    "url=https%3A%2F%2Fdigitripx.id%2Fa%2F%3Fx%3D1" },
  { "unknown-entity-kept", "https://digitripx.id/a/", "R&D &foo; &#0; 5 &lt 6",
    "url=https%3A%2F%2Fdigitripx.id%2Fa%2F&text=R%26D%20%26foo%3B%20%26%230%3B%205%20%26lt%206" },
};

static void
test_share_uri_table (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (uri_cases); i++)
    {
      const UriCase *c = &uri_cases[i];
      g_autofree char *app = dtx_telegram_share_uri (DTX_TELEGRAM_LINK_APP, c->url, c->title);
      g_autofree char *web = dtx_telegram_share_uri (DTX_TELEGRAM_LINK_WEB, c->url, c->title);
      g_autofree char *want_app = g_strconcat ("tg://msg_url?", c->query, NULL);
      g_autofree char *want_web = g_strconcat ("https://t.me/share/url?", c->query, NULL);
      g_autoptr(GUri) parsed = NULL;
      g_autoptr(GHashTable) params = NULL;

      g_test_message ("case %s", c->name);
      g_assert_cmpstr (app, ==, want_app);
      g_assert_cmpstr (web, ==, want_web);

      /* What Telegram reads back is the article's address, unchanged. */
      parsed = g_uri_parse (web, G_URI_FLAGS_ENCODED_QUERY, NULL);
      g_assert_nonnull (parsed);
      params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
      g_assert_cmpstr (g_hash_table_lookup (params, "url"), ==, c->url);
    }
}

static void
test_share_uri_long_title (void)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *text;

  for (int i = 0; i < 300; i++)
    g_string_append (title, i % 3 == 0 ? "é" : i % 3 == 1 ? "🚀" : "a");
  uri = dtx_telegram_share_uri (DTX_TELEGRAM_LINK_APP, "https://digitripx.id/a/", title->str);
  g_assert_true (g_str_has_prefix (uri, "tg://msg_url?url=https%3A%2F%2Fdigitripx.id%2Fa%2F&text=%C3%A9%F0%9F%9A%80a"));
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  text = g_hash_table_lookup (params, "text");
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, DTX_TELEGRAM_SHARE_TEXT_MAX);
  /* 199 characters of the title (é🚀a × 66, then é), then the ellipsis. */
  g_assert_true (g_str_has_suffix (text, "aé…"));
  g_assert_true (strncmp (title->str, text, strlen (text) - strlen ("…")) == 0);

  /* Exactly at the limit: nothing is cut. */
  g_string_truncate (title, 0);
  for (int i = 0; i < DTX_TELEGRAM_SHARE_TEXT_MAX; i++)
    g_string_append_c (title, 'x');
  g_clear_pointer (&uri, g_free);
  uri = dtx_telegram_share_uri (DTX_TELEGRAM_LINK_WEB, "https://digitripx.id/a/", title->str);
  g_assert_true (g_str_has_suffix (uri, title->str));
}

/* Messages */

#define HOSTILE_TITLE "Tips &#8217;Hemat&#8217; <b>Baterai</b> & \"Cepat\" <script>x()</script>"
#define HOSTILE_EXCERPT "Harga mulai Rp 1.000 <murah> & 'bagus'"
#define HOSTILE_LINK "https://digitripx.id/tips?a=1&b=\"2\""
#define HOSTILE_HTML \
  "Tips ’Hemat’ &lt;b&gt;Baterai&lt;/b&gt; &amp; &quot;Cepat&quot; &lt;script&gt;x()&lt;/script&gt;\n\n" \
  "Harga mulai Rp 1.000 &lt;murah&gt; &amp; 'bagus'\n\n" \
  "<a href=\"https://digitripx.id/tips?a=1&amp;b=&quot;2&quot;\">https://digitripx.id/tips?a=1&amp;b=&quot;2&quot;</a>"
#define HOSTILE_PLAIN \
  "Tips ’Hemat’ <b>Baterai</b> & \"Cepat\" <script>x()</script>\n\n" \
  "Harga mulai Rp 1.000 <murah> & 'bagus'\n\n" \
  HOSTILE_LINK

static DtxArticle *
hostile_article (void)
{
  DtxArticle *article = dtx_article_new ();
  const char *categories[] = { "Tips & Trik", "Gadget", NULL };

  dtx_article_set_title (article, HOSTILE_TITLE);
  dtx_article_set_excerpt (article, HOSTILE_EXCERPT);
  dtx_article_set_link (article, HOSTILE_LINK);
  dtx_article_set_author (article, "Rina <Redaksi>");
  dtx_article_set_categories (article, categories);
  dtx_article_set_image_url (article, "https://digitripx.id/wp-content/uploads/2024/05/baterai.jpg");
  return article;
}

static void
test_render_escapes (void)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autofree char *plain = NULL;
  g_autofree char *html = dtx_telegram_render (NULL, article, &plain);
  g_autofree char *custom = NULL;
  g_autofree char *custom_plain = NULL;

  g_assert_cmpstr (html, ==, HOSTILE_HTML);
  g_assert_cmpstr (plain, ==, HOSTILE_PLAIN);

  /* Template text is text too; unknown placeholders stay as typed. */
  custom = dtx_telegram_render ("📰 {category} <new> oleh {author} {nope} — {title}", article, &custom_plain);
  g_assert_cmpstr (custom, ==,
                   "📰 Tips &amp; Trik &lt;new&gt; oleh Rina &lt;Redaksi&gt; {nope} — "
                   "Tips ’Hemat’ &lt;b&gt;Baterai&lt;/b&gt; &amp; &quot;Cepat&quot; &lt;script&gt;x()&lt;/script&gt;");
  g_assert_cmpstr (custom_plain, ==,
                   "📰 Tips & Trik <new> oleh Rina <Redaksi> {nope} — "
                   "Tips ’Hemat’ <b>Baterai</b> & \"Cepat\" <script>x()</script>");
}

static void
test_render_empty_fields (void)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autofree char *html = NULL;

  dtx_article_set_title (article, "Judul");
  dtx_article_set_link (article, "https://digitripx.id/judul/");
  html = dtx_telegram_render ("{title}\n\n{excerpt}\n\n{author}\n\n{url}\n", article, NULL);
  g_assert_cmpstr (html, ==, "Judul\n\n<a href=\"https://digitripx.id/judul/\">https://digitripx.id/judul/</a>");
  g_assert_cmpuint (dtx_telegram_text_length ("a🚀é"), ==, 4);
}

static void
test_validation (void)
{
  g_assert_true (dtx_telegram_token_is_valid (DTX_TEST_BOT_TOKEN));
  g_assert_false (dtx_telegram_token_is_valid ("123:abc"));
  g_assert_false (dtx_telegram_token_is_valid ("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/../getMe"));
  g_assert_false (dtx_telegram_token_is_valid (" 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  g_assert_true (dtx_telegram_chat_is_valid ("@digitripx_test"));
  g_assert_true (dtx_telegram_chat_is_valid ("-1001234567890"));
  g_assert_false (dtx_telegram_chat_is_valid ("digitripx"));
  g_assert_false (dtx_telegram_chat_is_valid ("@a/b"));
  g_assert_false (dtx_telegram_chat_is_valid (""));
}

/* The client against the fake Bot API */

typedef struct {
  DtxTestBot  *bot;
  DtxFetcher  *fetcher;
  DtxTelegram *telegram;
  GArray      *waits;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->bot = dtx_test_bot_new ();
  dtx_test_bot_set_mode (f->bot, GPOINTER_TO_INT (data));
  g_setenv ("DTX_TELEGRAM_API", dtx_test_bot_get_url (f->bot), TRUE);
  f->fetcher = dtx_fetcher_new ();
  dtx_fetcher_set_timeout (f->fetcher, 1);
  f->telegram = dtx_telegram_new (dtx_fetcher_get_session (f->fetcher));
  f->waits = g_array_new (FALSE, FALSE, sizeof (guint));
  g_string_truncate (log_text, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->telegram);
  g_clear_object (&f->fetcher);
  g_clear_pointer (&f->bot, dtx_test_bot_free);
  g_array_unref (f->waits);
  g_unsetenv ("DTX_TELEGRAM_API");
  assert_no_token (log_text->str);
}

static void
on_wait (guint    seconds_left,
         gpointer user_data)
{
  Fixture *f = user_data;

  g_array_append_val (f->waits, seconds_left);
}

static DtxTelegramPosted *
post (Fixture     *f,
      const char  *token,
      const char  *chat,
      DtxArticle  *article,
      gboolean     photo,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  DtxTelegramPosted *posted;

  dtx_telegram_post_async (f->telegram, token, chat, NULL, article, photo, on_wait, f,
                           NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  posted = dtx_telegram_post_finish (f->telegram, result, error);
  if (error != NULL && *error != NULL)
    assert_no_token ((*error)->message);
  return posted;
}

static const char *
param (Fixture    *f,
       const char *method,
       const char *name)
{
  JsonObject *params = dtx_test_bot_last_params (f->bot, method);

  g_assert_nonnull (params);
  return json_object_get_string_member_with_default (params, name, NULL);
}

static void
test_base_url (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxTelegram) other = NULL;

  g_assert_cmpstr (dtx_telegram_get_base_url (f->telegram), ==, dtx_test_bot_get_url (f->bot));
  g_unsetenv ("DTX_TELEGRAM_API");
  other = dtx_telegram_new (dtx_fetcher_get_session (f->fetcher));
  g_assert_cmpstr (dtx_telegram_get_base_url (other), ==, "https://api.telegram.org");
}

static void
test_check (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(DtxTelegramCheck) check = NULL;
  g_autoptr(DtxTelegramCheck) missing = NULL;
  g_autoptr(GError) error = NULL;

  dtx_telegram_check_async (f->telegram, DTX_TEST_BOT_TOKEN, "@digitripx_test", NULL, dtx_test_store_result, &result);
  dtx_test_wait_result (&result);
  check = dtx_telegram_check_finish (f->telegram, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (check->bot_name, ==, "DTX Test Bot");
  g_assert_cmpstr (check->bot_username, ==, "dtx_test_bot");
  g_assert_cmpstr (check->chat_title, ==, "DigiTripX Test");
  g_assert_cmpstr (check->chat_username, ==, "digitripx_test");
  g_assert_cmpstr (check->chat_type, ==, "channel");
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "getMe"), ==, 1);
  g_assert_cmpstr (param (f, "getChat", "chat_id"), ==, "@digitripx_test");

  dtx_telegram_check_async (f->telegram, DTX_TEST_BOT_TOKEN, "@tidak_ada_channel", NULL, dtx_test_store_result, &result2);
  dtx_test_wait_result (&result2);
  missing = dtx_telegram_check_finish (f->telegram, result2, &error);
  g_assert_null (missing);
  g_assert_error (error, DTX_ERROR, DTX_ERROR_CHAT_NOT_FOUND);
}

static void
test_post_message (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *params, *preview;

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendPhoto"), ==, 0);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);

  g_assert_cmpstr (param (f, "sendMessage", "text"), ==, HOSTILE_HTML);
  g_assert_cmpstr (param (f, "sendMessage", "parse_mode"), ==, "HTML");
  g_assert_cmpstr (param (f, "sendMessage", "chat_id"), ==, "@digitripx_test");
  params = dtx_test_bot_last_params (f->bot, "sendMessage");
  preview = json_object_get_object_member (params, "link_preview_options");
  g_assert_nonnull (preview);
  g_assert_cmpstr (json_object_get_string_member (preview, "url"), ==, HOSTILE_LINK);
  g_assert_false (json_object_get_boolean_member_with_default (preview, "is_disabled", FALSE));

  g_assert_cmpint (posted->message_id, ==, 41);
  g_assert_cmpstr (posted->chat_username, ==, "digitripx_test");
  g_assert_cmpstr (posted->link, ==, "https://t.me/digitripx_test/41");
  g_assert_false (posted->with_photo);
  g_assert_cmpuint (f->waits->len, ==, 0);
}

static void
test_post_private_channel (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *chat_id;

  posted = post (f, DTX_TEST_BOT_TOKEN, "-1001234567890", article, FALSE, &error);
  g_assert_no_error (error);
  chat_id = json_object_get_member (dtx_test_bot_last_params (f->bot, "sendMessage"), "chat_id");
  g_assert_cmpint (json_node_get_int (chat_id), ==, -1001234567890);
  /* No public link to a private channel's post. */
  g_assert_null (posted->link);
  g_assert_cmpint (posted->message_id, ==, 41);
}

static void
test_post_photo (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendPhoto"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 0);
  g_assert_cmpstr (param (f, "sendPhoto", "caption"), ==, HOSTILE_HTML);
  g_assert_cmpstr (param (f, "sendPhoto", "photo"), ==, "https://digitripx.id/wp-content/uploads/2024/05/baterai.jpg");
  g_assert_cmpstr (param (f, "sendPhoto", "parse_mode"), ==, "HTML");
  g_assert_true (posted->with_photo);
}

static void
test_caption_too_long (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) excerpt = g_string_new (NULL);
  g_autofree char *plain = NULL;
  g_autofree char *html = NULL;

  /* Short in characters that count once, long in escapes: "&" is one
   * character for Telegram but five bytes of markup. Still over 1024. */
  for (int i = 0; i < 1000; i++)
    g_string_append_c (excerpt, i % 2 ? '&' : 'a');
  dtx_article_set_excerpt (article, excerpt->str);
  html = dtx_telegram_render (NULL, article, &plain);
  g_assert_cmpuint (dtx_telegram_text_length (plain), >, 1024);

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendPhoto"), ==, 0);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
  g_assert_cmpstr (param (f, "sendMessage", "text"), ==, html);
  g_assert_false (posted->with_photo);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
}

static void
test_caption_fits_after_entities (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = dtx_article_new ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) title = g_string_new (NULL);

  /* 900 "&": 4500 bytes of markup, 900 characters once parsed. */
  for (int i = 0; i < 900; i++)
    g_string_append_c (title, '&');
  dtx_article_set_title (article, title->str);
  dtx_article_set_link (article, "https://digitripx.id/x/");
  dtx_article_set_image_url (article, "https://digitripx.id/x.jpg");
  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendPhoto"), ==, 1);
  g_assert_true (posted->with_photo);
}

static void
test_photo_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendPhoto"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
  g_assert_false (posted->with_photo);
}

static void
assert_post_fails (Fixture    *f,
                   const char *token,
                   const char *chat,
                   int         code)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;

  posted = post (f, token, chat, article, FALSE, &error);
  g_assert_null (posted);
  g_assert_error (error, DTX_ERROR, code);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 0);
}

static void
test_unauthorized (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, OTHER_TOKEN, "@digitripx_test", DTX_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
}

static void
test_malformed_token_not_sent (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/../../x", "@digitripx_test",
                     DTX_ERROR_UNAUTHORIZED);
  assert_post_fails (f, "", "@digitripx_test", DTX_ERROR_NOT_CONFIGURED);
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "", DTX_ERROR_NOT_CONFIGURED);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 0);
}

static void
test_chat_not_found (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "@tidak_ada_channel", DTX_ERROR_CHAT_NOT_FOUND);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
}

static void
test_forbidden (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "@not_admin_channel", DTX_ERROR_FORBIDDEN);
}

static void
test_rate_limited_then_retried (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, FALSE, &error);
  g_assert_no_error (error);
  /* Waited retry_after (1 s), counting down, then sent once more. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 2);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
  g_assert_cmpuint (f->waits->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->waits, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (f->waits, guint, 1), ==, 0);
  g_assert_cmpstr (posted->link, ==, "https://t.me/digitripx_test/41");
}

static void
test_rate_limited_twice (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", DTX_ERROR_RATE_LIMITED);
  /* One retry, not more. */
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 2);
}

static void
test_server_error (Fixture *f, gconstpointer data)
{
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", DTX_ERROR_HTTP);
  /* Retrying is the user's choice. */
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
}

static void
test_timeout_after_arrival (Fixture *f, gconstpointer data)
{
  g_autoptr(DtxArticle) article = hostile_article ();
  g_autoptr(DtxTelegramPosted) posted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 until;

  posted = post (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", article, FALSE, &error);
  g_assert_null (posted);
  /* The request arrived and was posted; the client cannot know: it says so
   * instead of retrying. */
  g_assert_error (error, DTX_ERROR, DTX_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);

  /* And nothing is sent later either (a late answer arrives at 2 s). */
  until = g_get_monotonic_time () + 2500 * 1000;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (dtx_test_bot_count (f->bot, "sendMessage"), ==, 1);
  g_assert_cmpuint (dtx_test_bot_posted (f->bot), ==, 1);
}

static void
test_unreachable_is_not_unknown (Fixture *f, gconstpointer data)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port nobody listens on: the request never left. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  g_setenv ("DTX_TELEGRAM_API", url, TRUE);
  g_clear_object (&f->telegram);
  f->telegram = dtx_telegram_new (dtx_fetcher_get_session (f->fetcher));
  assert_post_fails (f, DTX_TEST_BOT_TOKEN, "@digitripx_test", DTX_ERROR_NETWORK);
}

static void
add (const char *path, DtxTestBotMode mode, void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, GINT_TO_POINTER (mode), fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char *argv[])
{
  int ret;

  /* Debug lines too: the token must not be in any of them. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/telegram/share-uri/table", test_share_uri_table);
  g_test_add_func ("/telegram/share-uri/long-title", test_share_uri_long_title);
  g_test_add_func ("/telegram/render/escapes", test_render_escapes);
  g_test_add_func ("/telegram/render/empty-fields", test_render_empty_fields);
  g_test_add_func ("/telegram/validation", test_validation);

  add ("/telegram/api/base-url", DTX_TEST_BOT_NORMAL, test_base_url);
  add ("/telegram/api/check", DTX_TEST_BOT_NORMAL, test_check);
  add ("/telegram/api/post-message", DTX_TEST_BOT_NORMAL, test_post_message);
  add ("/telegram/api/post-private-channel", DTX_TEST_BOT_NORMAL, test_post_private_channel);
  add ("/telegram/api/post-photo", DTX_TEST_BOT_NORMAL, test_post_photo);
  add ("/telegram/api/caption-too-long", DTX_TEST_BOT_NORMAL, test_caption_too_long);
  add ("/telegram/api/caption-fits-after-entities", DTX_TEST_BOT_NORMAL, test_caption_fits_after_entities);
  add ("/telegram/api/photo-refused", DTX_TEST_BOT_PHOTO_FAILS, test_photo_refused);
  add ("/telegram/errors/unauthorized", DTX_TEST_BOT_NORMAL, test_unauthorized);
  add ("/telegram/errors/malformed-token-not-sent", DTX_TEST_BOT_NORMAL, test_malformed_token_not_sent);
  add ("/telegram/errors/chat-not-found", DTX_TEST_BOT_NORMAL, test_chat_not_found);
  add ("/telegram/errors/forbidden", DTX_TEST_BOT_NORMAL, test_forbidden);
  add ("/telegram/errors/rate-limited-then-retried", DTX_TEST_BOT_RATE_LIMITED, test_rate_limited_then_retried);
  add ("/telegram/errors/rate-limited-twice", DTX_TEST_BOT_RATE_LIMITED_ALWAYS, test_rate_limited_twice);
  add ("/telegram/errors/server-error", DTX_TEST_BOT_SERVER_ERROR, test_server_error);
  add ("/telegram/errors/timeout-after-arrival", DTX_TEST_BOT_HANG_SEND, test_timeout_after_arrival);
  add ("/telegram/errors/late-answer", DTX_TEST_BOT_LATE_SEND, test_timeout_after_arrival);
  add ("/telegram/errors/unreachable-is-not-unknown", DTX_TEST_BOT_NORMAL, test_unreachable_is_not_unknown);

  ret = g_test_run ();
  g_string_free (log_text, TRUE);
  return ret;
}
