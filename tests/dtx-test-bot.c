/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-test-bot"
#include "config.h"

#include <libsoup/soup.h>

#include "dtx-test-bot.h"

#define JSON_TYPE "application/json"
#define CAPTION_MAX 1024
#define TEXT_MAX 4096

struct _DtxTestBot
{
  SoupServer     *server;
  char           *url;
  DtxTestBotMode  mode;
  gboolean        limited_once;

  GHashTable     *counts;  /* method → count */
  GHashTable     *params;  /* method → JsonObject of the last request */
  GPtrArray      *held;    /* SoupServerMessage paused by HANG and LATE */
  guint           posted;
  gint64          next_message_id;
};

static void
answer (SoupServerMessage *msg,
        guint              status,
        JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *body = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, JSON_TYPE, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
answer_error (SoupServerMessage *msg,
              guint              code,
              const char        *description,
              gint64             retry_after)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "error_code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, description);
  if (retry_after > 0)
    {
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "retry_after");
      json_builder_add_int_value (b, retry_after);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  answer (msg, code, b);
}

/* {"ok":true,"result": <filled by fill>} */
static JsonBuilder *
begin_ok (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "result");
  return b;
}

static void
member_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
member_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* The parameters, from a JSON body, a form body or the query, as strings
 * and JSON values the way Telegram reads them. */
static JsonObject *
read_params (SoupServerMessage *msg,
             GHashTable        *query)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  JsonObject *params = json_object_new ();

  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer k, v;
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &k, &v))
        json_object_set_string_member (params, k, v);
    }

  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);

      if (json_parser_load_from_data (parser, data ? data : "", size, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *object = json_node_get_object (json_parser_get_root (parser));
          g_autoptr(GList) names = json_object_get_members (object);
          for (GList *l = names; l; l = l->next)
            json_object_set_member (params, l->data, json_node_copy (json_object_get_member (object, l->data)));
        }
      else
        {
          json_object_unref (params);
          return NULL;
        }
    }
  else if (g_strcmp0 (type, "application/x-www-form-urlencoded") == 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (text);
      GHashTableIter iter;
      gpointer k, v;
      g_hash_table_iter_init (&iter, form);
      while (g_hash_table_iter_next (&iter, &k, &v))
        json_object_set_string_member (params, k, v);
    }
  return params;
}

/* A parameter as text (numbers too), or NULL. */
static char *
param_string (JsonObject *params,
              const char *name)
{
  JsonNode *node = json_object_get_member (params, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

/* parse_mode=HTML as Telegram reads it: the text users see, or NULL and a
 * reason for markup it refuses. */
static char *
parse_html (const char  *html,
            char       **reason)
{
  static const char *tags = "^</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|span|blockquote)( [^<>]*)?>";
  GString *out = g_string_new (NULL);

  for (const char *p = html; *p != '\0';)
    {
      if (*p == '<')
        {
          const char *end = strchr (p, '>');
          g_autofree char *tag = end ? g_strndup (p, end - p + 1) : NULL;

          if (tag == NULL || !g_regex_match_simple (tags, tag, 0, 0))
            {
              *reason = g_strdup_printf ("Bad Request: can't parse entities: Unsupported start tag at byte offset %ld",
                                         (long)(p - html));
              g_string_free (out, TRUE);
              return NULL;
            }
          p = end + 1;
        }
      else if (*p == '&')
        {
          static const struct { const char *e; char c; } entities[] = {
            { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' },
          };
          gboolean known = FALSE;

          for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
            if (g_str_has_prefix (p, entities[i].e))
              {
                g_string_append_c (out, entities[i].c);
                p += strlen (entities[i].e);
                known = TRUE;
                break;
              }
          if (!known)
            {
              *reason = g_strdup_printf ("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset %ld",
                                         (long)(p - html));
              g_string_free (out, TRUE);
              return NULL;
            }
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static glong
utf16_length (const char *text)
{
  glong n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

static void
add_chat (JsonBuilder *b,
          const char  *chat)
{
  json_builder_begin_object (b);
  if (g_str_equal (chat, "@digitripx_test"))
    {
      member_int (b, "id", -1009876543210);
      member_string (b, "title", "DigiTripX Test");
      member_string (b, "username", "digitripx_test");
    }
  else
    {
      member_int (b, "id", -1001234567890);
      member_string (b, "title", "Redaksi Privat");
    }
  member_string (b, "type", "channel");
  json_builder_end_object (b);
}

static gboolean
answer_late (gpointer data)
{
  SoupServerMessage *msg = data;
  DtxTestBot *self = g_object_get_data (G_OBJECT (msg), "dtx-test-bot");

  soup_server_message_unpause (msg);
  g_ptr_array_remove (self->held, msg);
  return G_SOURCE_REMOVE;
}

static void
handle_send (DtxTestBot        *self,
             SoupServerMessage *msg,
             const char        *method,
             JsonObject        *params,
             const char        *chat)
{
  gboolean photo = g_str_equal (method, "sendPhoto");
  g_autofree char *html = param_string (params, photo ? "caption" : "text");
  g_autofree char *parse_mode = param_string (params, "parse_mode");
  g_autofree char *plain = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(JsonBuilder) b = NULL;

  if (self->mode == DTX_TEST_BOT_RATE_LIMITED_ALWAYS ||
      (self->mode == DTX_TEST_BOT_RATE_LIMITED && !self->limited_once))
    {
      self->limited_once = TRUE;
      answer_error (msg, 429, "Too Many Requests: retry after 1", 1);
      return;
    }
  if (html == NULL || (!photo && *html == '\0'))
    {
      answer_error (msg, 400, "Bad Request: message text is empty", 0);
      return;
    }
  if (g_strcmp0 (parse_mode, "HTML") == 0)
    plain = parse_html (html, &reason);
  else
    plain = g_strdup (html);
  if (plain == NULL)
    {
      answer_error (msg, 400, reason, 0);
      return;
    }
  if (photo && utf16_length (plain) > CAPTION_MAX)
    {
      answer_error (msg, 400, "Bad Request: message caption is too long", 0);
      return;
    }
  if (!photo && utf16_length (plain) > TEXT_MAX)
    {
      answer_error (msg, 400, "Bad Request: message is too long", 0);
      return;
    }
  if (photo)
    {
      g_autofree char *url = param_string (params, "photo");
      if (self->mode == DTX_TEST_BOT_PHOTO_FAILS || url == NULL || !g_str_has_prefix (url, "http"))
        {
          answer_error (msg, 400, "Bad Request: wrong file identifier/HTTP URL specified", 0);
          return;
        }
    }

  self->posted++;
  b = begin_ok ();
  json_builder_begin_object (b);
  member_int (b, "message_id", self->next_message_id++);
  json_builder_set_member_name (b, "chat");
  add_chat (b, chat);
  member_int (b, "date", g_get_real_time () / G_USEC_PER_SEC);
  member_string (b, photo ? "caption" : "text", plain);
  json_builder_end_object (b);
  json_builder_end_object (b);
  answer (msg, 200, b);

  if (self->mode == DTX_TEST_BOT_HANG_SEND || self->mode == DTX_TEST_BOT_LATE_SEND)
    {
      /* The post is made; the answer does not come (in time). */
      soup_server_message_pause (msg);
      g_ptr_array_add (self->held, g_object_ref (msg));
      g_object_set_data (G_OBJECT (msg), "dtx-test-bot", self);
      if (self->mode == DTX_TEST_BOT_LATE_SEND)
        g_timeout_add_full (G_PRIORITY_DEFAULT, 2000, answer_late, g_object_ref (msg), g_object_unref);
    }
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  DtxTestBot *self = user_data;
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *chat = NULL;
  const char *method;

  /* "", "bot<token>", "<method>" */
  if (g_strv_length (parts) != 3 || !g_str_has_prefix (parts[1], "bot"))
    {
      answer_error (msg, 404, "Not Found", 0);
      return;
    }
  method = parts[2];
  g_hash_table_insert (self->counts, g_strdup (method),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, method)) + 1));

  params = read_params (msg, query);
  if (params == NULL)
    {
      answer_error (msg, 400, "Bad Request: can't parse JSON object", 0);
      return;
    }
  g_hash_table_replace (self->params, g_strdup (method), json_object_ref (params));

  if (self->mode == DTX_TEST_BOT_SERVER_ERROR)
    {
      static const char page[] = "<html><head><title>502 Bad Gateway</title></head>"
                                 "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
      soup_server_message_set_status (msg, 502, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }

  if (!g_str_equal (parts[1] + 3, DTX_TEST_BOT_TOKEN))
    {
      answer_error (msg, 401, "Unauthorized", 0);
      return;
    }

  if (g_str_equal (method, "getMe"))
    {
      b = begin_ok ();
      json_builder_begin_object (b);
      member_int (b, "id", 123456789);
      json_builder_set_member_name (b, "is_bot");
      json_builder_add_boolean_value (b, TRUE);
      member_string (b, "first_name", "DTX Test Bot");
      member_string (b, "username", "dtx_test_bot");
      json_builder_end_object (b);
      json_builder_end_object (b);
      answer (msg, 200, b);
      return;
    }

  if (!g_str_equal (method, "getChat") && !g_str_equal (method, "sendMessage") &&
      !g_str_equal (method, "sendPhoto"))
    {
      answer_error (msg, 404, "Not Found: method not found", 0);
      return;
    }

  chat = param_string (params, "chat_id");
  if (chat == NULL || *chat == '\0')
    {
      answer_error (msg, 400, "Bad Request: chat_id is empty", 0);
      return;
    }
  if (g_str_equal (chat, "@not_admin_channel"))
    {
      answer_error (msg, 403, "Forbidden: bot is not a member of the channel chat", 0);
      return;
    }
  if (!g_str_equal (chat, "@digitripx_test") && !g_str_equal (chat, "-1001234567890"))
    {
      answer_error (msg, 400, "Bad Request: chat not found", 0);
      return;
    }

  if (g_str_equal (method, "getChat"))
    {
      b = begin_ok ();
      add_chat (b, chat);
      json_builder_end_object (b);
      answer (msg, 200, b);
      return;
    }
  handle_send (self, msg, method, params, chat);
}

DtxTestBot *
dtx_test_bot_new (void)
{
  DtxTestBot *self = g_new0 (DtxTestBot, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_object_unref);
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_message_id = 41;

  self->server = soup_server_new ("server-header", "nginx/1.18.0", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("test bot: %s", error->message);
  uris = soup_server_get_uris (self->server);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return self;
}

void
dtx_test_bot_free (DtxTestBot *self)
{
  if (self == NULL)
    return;

  /* Let held answers go, and drop the timeouts of late ones. */
  for (guint i = 0; i < self->held->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (self->held, i);
      g_source_remove_by_user_data (msg);
      soup_server_message_unpause (msg);
    }
  soup_server_disconnect (self->server);
  g_ptr_array_unref (self->held);
  g_clear_object (&self->server);
  while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
    ;

  g_hash_table_unref (self->counts);
  g_hash_table_unref (self->params);
  g_free (self->url);
  g_free (self);
}

const char *
dtx_test_bot_get_url (DtxTestBot *self)
{
  return self->url;
}

void
dtx_test_bot_set_mode (DtxTestBot     *self,
                       DtxTestBotMode  mode)
{
  self->mode = mode;
  self->limited_once = FALSE;
}

guint
dtx_test_bot_count (DtxTestBot *self,
                    const char *method)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, method));
}

JsonObject *
dtx_test_bot_last_params (DtxTestBot *self,
                          const char *method)
{
  return g_hash_table_lookup (self->params, method);
}

guint
dtx_test_bot_posted (DtxTestBot *self)
{
  return self->posted;
}
