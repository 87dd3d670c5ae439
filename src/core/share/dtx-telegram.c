/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-telegram"
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dtx-error.h"
#include "dtx-json.h"
#include "dtx-telegram.h"

#define RETRY_AFTER_MAX 120 /* seconds we wait out a 429 before giving up */
#define ANSWER_MAX_SIZE (1024 * 1024)

/* Share links */

static const struct {
  const char *name;
  gunichar    ch;
} named_entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
  { "nbsp", 0x00A0 }, { "hellip", 0x2026 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
  { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "sbquo", 0x201A }, { "ldquo", 0x201C },
  { "rdquo", 0x201D }, { "bdquo", 0x201E }, { "laquo", 0x00AB }, { "raquo", 0x00BB },
  { "copy", 0x00A9 }, { "reg", 0x00AE }, { "trade", 0x2122 }, { "deg", 0x00B0 },
  { "times", 0x00D7 }, { "middot", 0x00B7 }, { "bull", 0x2022 }, { "euro", 0x20AC },
};

/* The character an entity at p ("&…;") stands for, with its length; 0 when
 * p starts no entity we know. */
static gunichar
entity_at (const char *p,
           gsize      *len)
{
  const char *semi = strchr (p, ';');
  gsize n;

  if (semi == NULL || semi - p > 12 || semi - p < 3)
    return 0;
  n = semi - p + 1;

  if (p[1] == '#')
    {
      g_autofree char *digits = g_strndup (p + 2, semi - p - 2);
      gboolean hex = digits[0] == 'x' || digits[0] == 'X';
      const char *start = hex ? digits + 1 : digits;
      char *end = NULL;
      guint64 value;

      if (*start == '\0')
        return 0;
      value = g_ascii_strtoull (start, &end, hex ? 16 : 10);
      if (*end != '\0' || value == 0 || value > 0x10FFFF || !g_unichar_validate ((gunichar)value))
        return 0;
      *len = n;
      return (gunichar)value;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (named_entities); i++)
    if (strlen (named_entities[i].name) == n - 2 &&
        strncmp (p + 1, named_entities[i].name, n - 2) == 0)
      {
        *len = n;
        return named_entities[i].ch;
      }
  return 0;
}

char *
dtx_telegram_decode_entities (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0';)
    {
      gsize len = 0;
      gunichar ch = *p == '&' ? entity_at (p, &len) : 0;

      if (ch != 0)
        {
          g_string_append_unichar (out, ch);
          p += len;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* Plain text for a share link: entities decoded, white space collapsed,
 * shortened on a character boundary. */
static char *
share_text (const char *title)
{
  g_autofree char *decoded = dtx_telegram_decode_entities (title);
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;
  glong n = 0;

  for (const char *p = decoded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      if (g_unichar_isspace (ch) || ch == 0x00A0)
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        {
          g_string_append_c (out, ' ');
          n++;
        }
      space = FALSE;
      if (n == DTX_TELEGRAM_SHARE_TEXT_MAX - 1 && *(g_utf8_next_char (p)) != '\0')
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, ch);
      n++;
    }
  return g_string_free (out, FALSE);
}

char *
dtx_telegram_share_uri (DtxTelegramLinkKind  kind,
                        const char          *url,
                        const char          *title)
{
  g_autofree char *text = share_text (title);
  g_autofree char *url_q = NULL;
  GString *uri;

  g_return_val_if_fail (url != NULL, NULL);

  url_q = g_uri_escape_string (url, NULL, FALSE);
  uri = g_string_new (kind == DTX_TELEGRAM_LINK_APP ? "tg://msg_url?url=" : "https://t.me/share/url?url=");
  g_string_append (uri, url_q);
  if (*text != '\0')
    {
      g_autofree char *text_q = g_uri_escape_string (text, NULL, FALSE);
      g_string_append (uri, "&text=");
      g_string_append (uri, text_q);
    }
  return g_string_free (uri, FALSE);
}

char *
dtx_telegram_escape_html (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      default: g_string_append_c (out, *p);
      }
  return g_string_free (out, FALSE);
}

/* Runs of blank lines left by empty placeholders become one, and the ends
 * are trimmed. */
static char *
tidy_lines (GString *text)
{
  GString *out = g_string_sized_new (text->len);
  guint newlines = 0;

  for (const char *p = text->str; *p != '\0'; p++)
    {
      if (*p == '\n')
        {
          newlines++;
          continue;
        }
      if (out->len > 0 && newlines > 0)
        g_string_append_len (out, "\n\n", MIN (newlines, 2));
      newlines = 0;
      g_string_append_c (out, *p);
    }
  g_string_free (text, TRUE);
  return g_strchomp (g_string_free (out, FALSE));
}

static char *
placeholder_value (DtxArticle *article,
                   const char *name)
{
  if (g_str_equal (name, "title"))
    return dtx_telegram_decode_entities (dtx_article_get_title (article));
  if (g_str_equal (name, "excerpt"))
    return dtx_telegram_decode_entities (dtx_article_get_excerpt (article));
  if (g_str_equal (name, "author"))
    return dtx_telegram_decode_entities (dtx_article_get_author (article));
  if (g_str_equal (name, "category"))
    {
      const char * const *categories = dtx_article_get_categories (article);
      return dtx_telegram_decode_entities (categories != NULL ? categories[0] : NULL);
    }
  if (g_str_equal (name, "url"))
    return g_strdup (dtx_article_get_link (article) ? dtx_article_get_link (article) : "");
  return NULL;
}

char *
dtx_telegram_render (const char  *template_,
                     DtxArticle  *article,
                     char       **plain_out)
{
  GString *html = g_string_new (NULL);
  GString *plain = g_string_new (NULL);

  g_return_val_if_fail (DTX_IS_ARTICLE (article), NULL);

  if (template_ == NULL || *template_ == '\0')
    template_ = DTX_TELEGRAM_DEFAULT_TEMPLATE;

  for (const char *p = template_; *p != '\0';)
    {
      const char *close = *p == '{' ? strchr (p, '}') : NULL;
      g_autofree char *name = close ? g_strndup (p + 1, close - p - 1) : NULL;
      g_autofree char *value = name ? placeholder_value (article, name) : NULL;
      g_autofree char *escaped = NULL;

      if (value == NULL)
        {
          /* Plain template text, escaped as well: the template is text,
           * not markup. */
          char c[2] = { *p, '\0' };
          g_autofree char *e = dtx_telegram_escape_html (c);
          g_string_append (html, e);
          g_string_append_c (plain, *p);
          p++;
          continue;
        }

      escaped = dtx_telegram_escape_html (value);
      if (g_str_equal (name, "url") && *value != '\0')
        g_string_append_printf (html, "<a href=\"%s\">%s</a>", escaped, escaped);
      else
        g_string_append (html, escaped);
      g_string_append (plain, value);
      p = close + 1;
    }

  if (plain_out != NULL)
    *plain_out = tidy_lines (plain);
  else
    g_string_free (plain, TRUE);
  return tidy_lines (html);
}

gsize
dtx_telegram_text_length (const char *plain)
{
  gsize n = 0;

  for (const char *p = plain; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    n += g_utf8_get_char (p) > 0xFFFF ? 2 : 1;
  return n;
}

gboolean
dtx_telegram_token_is_valid (const char *token)
{
  return token != NULL &&
         g_regex_match_simple ("^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$", token, 0, 0);
}

gboolean
dtx_telegram_chat_is_valid (const char *chat)
{
  return chat != NULL &&
         (g_regex_match_simple ("^@[A-Za-z][A-Za-z0-9_]{3,31}$", chat, 0, 0) ||
          g_regex_match_simple ("^-?[0-9]{1,20}$", chat, 0, 0));
}

/* The client */

struct _DtxTelegram
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
};

G_DEFINE_FINAL_TYPE (DtxTelegram, dtx_telegram, G_TYPE_OBJECT)

void
dtx_telegram_check_free (DtxTelegramCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->bot_name);
  g_free (check->bot_username);
  g_free (check->chat_title);
  g_free (check->chat_username);
  g_free (check->chat_type);
  g_free (check);
}

void
dtx_telegram_posted_free (DtxTelegramPosted *posted)
{
  if (posted == NULL)
    return;
  g_free (posted->chat_username);
  g_free (posted->link);
  g_free (posted);
}

static void
dtx_telegram_finalize (GObject *object)
{
  DtxTelegram *self = (DtxTelegram *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (dtx_telegram_parent_class)->finalize (object);
}

static void
dtx_telegram_class_init (DtxTelegramClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dtx_telegram_finalize;
}

static void
dtx_telegram_init (DtxTelegram *self)
{
  const char *env = g_getenv ("DTX_TELEGRAM_API");
  g_autofree char *base = g_strdup (env != NULL && *env != '\0' ? env : DTX_TELEGRAM_DEFAULT_API);

  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  self->base_url = g_steal_pointer (&base);
}

DtxTelegram *
dtx_telegram_new (SoupSession *session)
{
  DtxTelegram *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (DTX_TYPE_TELEGRAM, NULL);
  self->session = g_object_ref (session);
  return self;
}

const char *
dtx_telegram_get_base_url (DtxTelegram *self)
{
  g_return_val_if_fail (DTX_IS_TELEGRAM (self), NULL);
  return self->base_url;
}

/* Never let the token into a log line or an error message. */
static char *
scrub (const char *text,
       const char *token)
{
  g_auto(GStrv) parts = NULL;

  if (text == NULL)
    return g_strdup ("");
  if (token == NULL || *token == '\0' || strstr (text, token) == NULL)
    return g_strdup (text);
  parts = g_strsplit (text, token, -1);
  return g_strjoinv ("<token>", parts);
}

/* One Bot API call. */
typedef struct {
  char        *token;
  char        *method;
  char        *body;
  SoupMessage *msg;
  gboolean     posting; /* a message: never sent twice */
  gboolean     written; /* the whole request left: it may have arrived */
  guint        retry_after;
} Call;

static void
call_free (Call *call)
{
  if (call->token != NULL)
    memset (call->token, 0, strlen (call->token));
  g_free (call->token);
  g_free (call->method);
  g_free (call->body);
  g_clear_object (&call->msg);
  g_free (call);
}

static void
on_wrote_body (SoupMessage *msg,
               Call        *call)
{
  call->written = TRUE;
}

static GError *
transport_error (Call   *call,
                 GError *error)
{
  g_autofree char *detail = scrub (error->message, call->token);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, detail);

  g_message ("Telegram %s: no answer (%s, request %s)", call->method, detail,
             call->written ? "sent" : "not sent");

  if (call->posting && call->written)
    return g_error_new (DTX_ERROR, DTX_ERROR_UNKNOWN_OUTCOME,
                        _("Telegram did not answer after the post was sent. It may have been posted: check the chat before posting again."));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (DTX_ERROR, DTX_ERROR_TIMEOUT, _("Telegram did not answer in time. Try again."));
  if (error->domain == G_TLS_ERROR)
    return g_error_new (DTX_ERROR, DTX_ERROR_TLS,
                        _("The secure connection to Telegram could not be trusted, so it was not used."));
  return g_error_new (DTX_ERROR, DTX_ERROR_NETWORK, _("Could not reach Telegram. Check your connection."));
}

/* Telegram's answer: {"ok":true,"result":…} or {"ok":false,"error_code":N,
 * "description":"…","parameters":{"retry_after":N}}. */
static JsonNode *
parse_answer (Call    *call,
              GBytes  *bytes,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status = soup_message_get_status (call->msg);
  g_autofree char *description = NULL;
  JsonObject *root = NULL;
  JsonObject *parameters;
  JsonNode *result;
  gint64 code = status;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (json_parser_load_from_data (parser, data != NULL ? data : "", size, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    root = json_node_get_object (json_parser_get_root (parser));

  if (root != NULL && json_object_has_member (root, "ok") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "ok")) &&
      json_object_get_boolean_member_with_default (root, "ok", FALSE) &&
      (result = json_object_get_member (root, "result")) != NULL)
    {
      g_debug ("Telegram %s: ok", call->method);
      return json_node_copy (result);
    }

  if (root != NULL)
    {
      JsonNode *node = json_object_get_member (root, "error_code");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        code = json_node_get_int (node);
      description = scrub (dtx_json_string_member (root, "description"), call->token);
      parameters = dtx_json_object_member (root, "parameters");
      node = parameters ? json_object_get_member (parameters, "retry_after") : NULL;
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        call->retry_after = (guint)CLAMP (json_node_get_int (node), 1, G_MAXINT);
    }
  else
    description = g_strdup ("not a Bot API answer");

  g_message ("Telegram %s: HTTP %u, error %" G_GINT64_FORMAT ": %s", call->method, status, code, description);

  if (code == 401)
    g_set_error (error, DTX_ERROR, DTX_ERROR_UNAUTHORIZED,
                 _("Telegram does not accept the bot token. Check it in Preferences."));
  else if (code == 400 && description != NULL && strstr (description, "chat not found") != NULL)
    g_set_error (error, DTX_ERROR, DTX_ERROR_CHAT_NOT_FOUND,
                 _("Telegram cannot find the chat. Check the channel name in Preferences."));
  else if (code == 403)
    g_set_error (error, DTX_ERROR, DTX_ERROR_FORBIDDEN,
                 _("The bot may not post there. Add it to the channel as an administrator."));
  else if (code == 429)
    g_set_error (error, DTX_ERROR, DTX_ERROR_RATE_LIMITED,
                 _("Telegram received too many requests. Wait a little and try again."));
  else if (code >= 500 || status >= 500)
    g_set_error (error, DTX_ERROR, DTX_ERROR_HTTP,
                 _("Telegram is having trouble right now. Try again later."));
  else if (root == NULL)
    g_set_error (error, DTX_ERROR, DTX_ERROR_PARSE,
                 _("The answer from Telegram could not be read."));
  else
    g_set_error (error, DTX_ERROR, DTX_ERROR_REJECTED,
                 _("Telegram refused the request."));
  return NULL;
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *node;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, transport_error (call, error));
      return;
    }
  if (g_bytes_get_size (bytes) > ANSWER_MAX_SIZE)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_TOO_LARGE,
                               _("The answer from Telegram could not be read."));
      return;
    }

  node = parse_answer (call, bytes, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify)json_node_unref);
}

/* POSTs params as JSON to /bot<token>/<method>; the task's value is the
 * answer's result node. */
static void
call_async (DtxTelegram         *self,
            const char          *token,
            const char          *method,
            JsonBuilder         *params,
            gboolean             posting,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) root = json_builder_get_root (params);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = NULL;
  Call *call;

  g_task_set_source_tag (task, call_async);
  call = g_new0 (Call, 1);
  call->token = g_strdup (token);
  call->method = g_strdup (method);
  call->posting = posting;
  call->body = json_to_string (root, FALSE);
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);

  uri = g_strdup_printf ("%s/bot%s/%s", self->base_url, token, method);
  call->msg = soup_message_new (SOUP_METHOD_POST, uri);
  memset (uri, 0, strlen (uri));
  if (call->msg == NULL)
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NETWORK,
                               _("Could not reach Telegram. Check your connection."));
      return;
    }
  /* A post goes on a connection of its own: libsoup may quietly send a
   * request again when a reused connection drops, and a post must not be. */
  if (posting)
    soup_message_add_flags (call->msg, SOUP_MESSAGE_NEW_CONNECTION);
  body = g_bytes_new (call->body, strlen (call->body));
  soup_message_set_request_body_from_bytes (call->msg, "application/json", body);
  g_signal_connect (call->msg, "wrote-body", G_CALLBACK (on_wrote_body), call);

  g_debug ("Telegram %s: sending", method);
  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT, cancellable,
                                    call_done, g_steal_pointer (&task));
}

static JsonNode *
call_finish (DtxTelegram   *self,
             GAsyncResult  *result,
             guint         *retry_after,
             GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  if (retry_after != NULL)
    *retry_after = call->retry_after;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
check_token (GTask      *task,
             const char *token)
{
  if (token == NULL || *token == '\0')
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_CONFIGURED,
                               _("No bot token is set up. Add one in Preferences."));
      return FALSE;
    }
  if (!dtx_telegram_token_is_valid (token))
    {
      /* Also keeps a pasted token with a slash or '?' out of the URL. */
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_UNAUTHORIZED,
                               _("This is not a bot token. It looks like 123456789:ABC… and comes from @BotFather."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_chat (GTask      *task,
            const char *chat)
{
  if (chat == NULL || *chat == '\0')
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_NOT_CONFIGURED,
                               _("No channel is set up. Add one in Preferences."));
      return FALSE;
    }
  if (!dtx_telegram_chat_is_valid (chat))
    {
      g_task_return_new_error (task, DTX_ERROR, DTX_ERROR_CHAT_NOT_FOUND,
                               _("Write the channel as @channelname or as its numeric id."));
      return FALSE;
    }
  return TRUE;
}

static void
add_chat_id (JsonBuilder *builder,
             const char  *chat)
{
  json_builder_set_member_name (builder, "chat_id");
  if (chat[0] == '@')
    json_builder_add_string_value (builder, chat);
  else
    json_builder_add_int_value (builder, g_ascii_strtoll (chat, NULL, 10));
}

/* Check: getMe, then getChat */

typedef struct {
  char             *token;
  char             *chat;
  DtxTelegramCheck *check;
} CheckData;

static void
check_data_free (CheckData *data)
{
  if (data->token != NULL)
    memset (data->token, 0, strlen (data->token));
  g_free (data->token);
  g_free (data->chat);
  dtx_telegram_check_free (data->check);
  g_free (data);
}

static char *
dup_member (JsonNode   *node,
            const char *name)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  return g_strdup (dtx_json_nonempty_string_member (object, name));
}

static void
on_get_chat (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = call_finish (DTX_TELEGRAM (object), result, NULL, &error);

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->check->chat_title = dup_member (node, "title");
  if (data->check->chat_title == NULL)
    data->check->chat_title = dup_member (node, "first_name");
  data->check->chat_username = dup_member (node, "username");
  data->check->chat_type = dup_member (node, "type");
  g_task_return_pointer (task, g_steal_pointer (&data->check), (GDestroyNotify)dtx_telegram_check_free);
}

static void
on_get_me (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = call_finish (DTX_TELEGRAM (object), result, NULL, &error);
  g_autoptr(JsonBuilder) params = NULL;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->check->bot_name = dup_member (node, "first_name");
  data->check->bot_username = dup_member (node, "username");

  params = json_builder_new ();
  json_builder_begin_object (params);
  add_chat_id (params, data->chat);
  json_builder_end_object (params);
  call_async (DTX_TELEGRAM (object), data->token, "getChat", params, FALSE,
              g_task_get_cancellable (task), on_get_chat, g_object_ref (task));
}

void
dtx_telegram_check_async (DtxTelegram         *self,
                          const char          *token,
                          const char          *chat,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) params = NULL;
  CheckData *data;

  g_return_if_fail (DTX_IS_TELEGRAM (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_telegram_check_async);
  if (!check_token (task, token) || !check_chat (task, chat))
    return;

  data = g_new0 (CheckData, 1);
  data->token = g_strdup (token);
  data->chat = g_strdup (chat);
  data->check = g_new0 (DtxTelegramCheck, 1);
  g_task_set_task_data (task, data, (GDestroyNotify)check_data_free);

  params = json_builder_new ();
  json_builder_begin_object (params);
  json_builder_end_object (params);
  call_async (self, token, "getMe", params, FALSE, cancellable, on_get_me, g_steal_pointer (&task));
}

DtxTelegramCheck *
dtx_telegram_check_finish (DtxTelegram   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Post */

typedef struct {
  char                *token;
  char                *chat;
  char                *html;
  char                *link;
  char                *image_url;
  DtxTelegramWaitFunc  wait_func;
  gpointer             wait_data;
  gboolean             photo;     /* this attempt is sendPhoto */
  gboolean             retried;   /* a 429 was waited out once */
  guint                seconds_left;
  guint                wait_id;
} PostData;

static void
post_data_free (PostData *data)
{
  if (data->token != NULL)
    memset (data->token, 0, strlen (data->token));
  g_free (data->token);
  g_free (data->chat);
  g_free (data->html);
  g_free (data->link);
  g_free (data->image_url);
  g_clear_handle_id (&data->wait_id, g_source_remove);
  g_free (data);
}

static void post_send (GTask *task);

static void
on_posted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data);

static gboolean
on_wait_tick (gpointer user_data)
{
  GTask *task = user_data;
  PostData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      data->wait_id = 0;
      return G_SOURCE_REMOVE;
    }
  data->seconds_left--;
  if (data->wait_func != NULL)
    data->wait_func (data->seconds_left, data->wait_data);
  if (data->seconds_left > 0)
    return G_SOURCE_CONTINUE;

  data->wait_id = 0;
  post_send (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
on_posted (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PostData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  DtxTelegramPosted *posted;
  JsonObject *message;
  guint retry_after = 0;

  node = call_finish (DTX_TELEGRAM (object), result, &retry_after, &error);
  if (node == NULL)
    {
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_RATE_LIMITED) && !data->retried &&
          retry_after > 0 && retry_after <= RETRY_AFTER_MAX)
        {
          /* Nothing was posted: wait as asked, then try once more. */
          data->retried = TRUE;
          data->seconds_left = retry_after;
          if (data->wait_func != NULL)
            data->wait_func (data->seconds_left, data->wait_data);
          /* Not g_timeout_add_seconds(): it may fire early, on the next
           * whole second, and Telegram would refuse again. */
          data->wait_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1000, on_wait_tick,
                                              g_object_ref (task), g_object_unref);
          return;
        }
      if (g_error_matches (error, DTX_ERROR, DTX_ERROR_REJECTED) && data->photo)
        {
          /* Telegram could not use the image (nothing was posted): the
           * message alone, with the article's preview. */
          data->photo = FALSE;
          post_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  posted = g_new0 (DtxTelegramPosted, 1);
  posted->with_photo = data->photo;
  if (message != NULL && json_object_has_member (message, "message_id"))
    posted->message_id = json_object_get_int_member_with_default (message, "message_id", 0);
  posted->chat_username = g_strdup (dtx_json_nonempty_string_member (dtx_json_object_member (message, "chat"),
                                                                     "username"));
  if (posted->chat_username != NULL && posted->message_id > 0)
    posted->link = g_strdup_printf ("https://t.me/%s/%" G_GINT64_FORMAT, posted->chat_username, posted->message_id);
  g_task_return_pointer (task, posted, (GDestroyNotify)dtx_telegram_posted_free);
}

/* Takes the task's reference. */
static void
post_send (GTask *task)
{
  DtxTelegram *self = g_task_get_source_object (task);
  PostData *data = g_task_get_task_data (task);
  g_autoptr(JsonBuilder) params = json_builder_new ();

  json_builder_begin_object (params);
  add_chat_id (params, data->chat);
  json_builder_set_member_name (params, "parse_mode");
  json_builder_add_string_value (params, "HTML");
  if (data->photo)
    {
      json_builder_set_member_name (params, "photo");
      json_builder_add_string_value (params, data->image_url);
      json_builder_set_member_name (params, "caption");
      json_builder_add_string_value (params, data->html);
    }
  else
    {
      json_builder_set_member_name (params, "text");
      json_builder_add_string_value (params, data->html);
      if (data->link != NULL)
        {
          json_builder_set_member_name (params, "link_preview_options");
          json_builder_begin_object (params);
          json_builder_set_member_name (params, "url");
          json_builder_add_string_value (params, data->link);
          json_builder_set_member_name (params, "prefer_large_media");
          json_builder_add_boolean_value (params, TRUE);
          json_builder_end_object (params);
        }
    }
  json_builder_end_object (params);

  call_async (self, data->token, data->photo ? "sendPhoto" : "sendMessage", params, TRUE,
              g_task_get_cancellable (task), on_posted, task);
}

void
dtx_telegram_post_async (DtxTelegram          *self,
                         const char           *token,
                         const char           *chat,
                         const char           *template_,
                         DtxArticle           *article,
                         gboolean              with_photo,
                         DtxTelegramWaitFunc   wait_func,
                         gpointer              wait_data,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *plain = NULL;
  PostData *data;
  const char *image;

  g_return_if_fail (DTX_IS_TELEGRAM (self));
  g_return_if_fail (DTX_IS_ARTICLE (article));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dtx_telegram_post_async);
  if (!check_token (task, token) || !check_chat (task, chat))
    return;

  data = g_new0 (PostData, 1);
  data->token = g_strdup (token);
  data->chat = g_strdup (chat);
  data->html = dtx_telegram_render (template_, article, &plain);
  data->link = g_strdup (dtx_article_get_link (article));
  data->wait_func = wait_func;
  data->wait_data = wait_data;
  image = dtx_article_get_image_url (article);
  if (with_photo && image != NULL &&
      (g_str_has_prefix (image, "https://") || g_str_has_prefix (image, "http://")))
    {
      data->image_url = g_strdup (image);
      /* A longer caption would be refused: then the message form. */
      data->photo = dtx_telegram_text_length (plain) <= DTX_TELEGRAM_CAPTION_MAX;
    }
  g_task_set_task_data (task, data, (GDestroyNotify)post_data_free);

  post_send (g_steal_pointer (&task));
}

DtxTelegramPosted *
dtx_telegram_post_finish (DtxTelegram   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
