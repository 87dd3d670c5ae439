/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include "dtx-article.h"

G_BEGIN_DECLS

#define DTX_TELEGRAM_DEFAULT_API     "https://api.telegram.org"
#define DTX_TELEGRAM_CAPTION_MAX     1024 /* characters after entity parsing */
#define DTX_TELEGRAM_SHARE_TEXT_MAX  200  /* characters of title in a share link */
#define DTX_TELEGRAM_DEFAULT_TEMPLATE "{title}\n\n{excerpt}\n\n{url}"

/* Share links: no network, no GTK. */
typedef enum {
  DTX_TELEGRAM_LINK_APP, /* tg://msg_url?url=…&text=… for the Telegram app */
  DTX_TELEGRAM_LINK_WEB, /* https://t.me/share/url?url=…&text=… */
} DtxTelegramLinkKind;

/* Both values percent-encoded UTF-8; HTML entities left in title are
 * decoded; a title longer than DTX_TELEGRAM_SHARE_TEXT_MAX characters is
 * shortened with an ellipsis. title may be NULL or "". */
char     *dtx_telegram_share_uri        (DtxTelegramLinkKind  kind,
                                         const char          *url,
                                         const char          *title);
/* Decodes &amp; &#8217; &#x2019; &hellip; …; unknown names stay as they are. */
char     *dtx_telegram_decode_entities  (const char          *text);
/* Escapes & < > " as Telegram's HTML parse mode asks, nothing else. */
char     *dtx_telegram_escape_html      (const char          *text);
/* The user's template with {title} {excerpt} {url} {author} {category}
 * filled from article: the template text and every value are escaped for
 * parse_mode=HTML and {url} becomes a link. plain_out, if not NULL, gets
 * what Telegram shows (for its length limits and for previews). */
char     *dtx_telegram_render           (const char          *template_,
                                         DtxArticle          *article,
                                         char               **plain_out);
/* Length as Telegram counts it: UTF-16 code units. */
gsize     dtx_telegram_text_length      (const char          *plain);
/* TRUE for 123456:ABC-def_… tokens; anything else never reaches a URL. */
gboolean  dtx_telegram_token_is_valid   (const char          *token);
/* TRUE for @name (5–32 letters, digits, _) or a numeric (-100…) id. */
gboolean  dtx_telegram_chat_is_valid    (const char          *chat);

/* The Bot API client. */
#define DTX_TYPE_TELEGRAM (dtx_telegram_get_type ())
G_DECLARE_FINAL_TYPE (DtxTelegram, dtx_telegram, DTX, TELEGRAM, GObject)

typedef struct {
  char *bot_name;     /* getMe: first_name */
  char *bot_username; /* getMe: username */
  char *chat_title;   /* getChat: title, or first_name for a private chat */
  char *chat_username;/* getChat: username of a public chat, or NULL */
  char *chat_type;    /* "channel", "supergroup", "group", "private" */
} DtxTelegramCheck;

void dtx_telegram_check_free (DtxTelegramCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxTelegramCheck, dtx_telegram_check_free)

typedef struct {
  gint64   message_id;
  char    *chat_username; /* set for public chats */
  char    *link;          /* https://t.me/<username>/<message_id>, or NULL */
  gboolean with_photo;    /* sent by sendPhoto */
} DtxTelegramPosted;

void dtx_telegram_posted_free (DtxTelegramPosted *posted);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxTelegramPosted, dtx_telegram_posted_free)

/* Called while a post waits out a 429: seconds left, each second. */
typedef void (*DtxTelegramWaitFunc) (guint seconds_left, gpointer user_data);

/* Uses session (the app's). The API base is DTX_TELEGRAM_DEFAULT_API unless
 * the environment variable DTX_TELEGRAM_API names another (tests). */
DtxTelegram       *dtx_telegram_new          (SoupSession          *session);
const char        *dtx_telegram_get_base_url (DtxTelegram          *self);

/* getMe, then getChat(chat). */
void               dtx_telegram_check_async  (DtxTelegram          *self,
                                              const char           *token,
                                              const char           *chat,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
DtxTelegramCheck  *dtx_telegram_check_finish (DtxTelegram          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* sendMessage (HTML, link preview of the article), or sendPhoto with the
 * featured image when with_photo and the caption fits. A 429 is waited out
 * once (wait_func reports the countdown) and retried. A post is never sent
 * twice: once a request was written, a failure without an answer ends in
 * DTX_ERROR_UNKNOWN_OUTCOME. */
void               dtx_telegram_post_async   (DtxTelegram          *self,
                                              const char           *token,
                                              const char           *chat,
                                              const char           *template_,
                                              DtxArticle           *article,
                                              gboolean              with_photo,
                                              DtxTelegramWaitFunc   wait_func,
                                              gpointer              wait_data,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
DtxTelegramPosted *dtx_telegram_post_finish  (DtxTelegram          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
