/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A fake Telegram Bot API on 127.0.0.1 (SoupServer, random port) that
 * behaves like api.telegram.org: POST or GET /bot<token>/<method> with a
 * JSON, form or query body; answers {"ok":true,"result":…} or the real error
 * shapes ({"ok":false,"error_code":N,"description":"…"}, with
 * "parameters":{"retry_after":N} for 429). It knows one bot
 * (DTX_TEST_BOT_TOKEN, "@dtx_test_bot") and these chats:
 *   @digitripx_test     a public channel where the bot is an admin
 *   -1001234567890      a private channel where the bot is an admin
 *   @not_admin_channel  a channel where the bot is no member (403)
 * anything else is "chat not found" (400). sendMessage and sendPhoto parse
 * text and caption like parse_mode=HTML does: bad markup is a 400, and a
 * caption over 1024 characters after entity parsing is refused. */
#define DTX_TEST_BOT_TOKEN "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

typedef enum {
  DTX_TEST_BOT_NORMAL,
  DTX_TEST_BOT_RATE_LIMITED, /* the next send answers 429 retry_after 1, then normal */
  DTX_TEST_BOT_RATE_LIMITED_ALWAYS,
  DTX_TEST_BOT_SERVER_ERROR, /* every call answers 502 with an HTML page */
  DTX_TEST_BOT_HANG_SEND,    /* sends are recorded, then never answered */
  DTX_TEST_BOT_LATE_SEND,    /* sends are recorded and answered after 2 s */
  DTX_TEST_BOT_PHOTO_FAILS,  /* sendPhoto: "wrong file identifier/HTTP URL specified" */
} DtxTestBotMode;

typedef struct _DtxTestBot DtxTestBot;

DtxTestBot *dtx_test_bot_new          (void);
void        dtx_test_bot_free         (DtxTestBot     *self);
/* "http://127.0.0.1:PORT", for DTX_TELEGRAM_API. */
const char *dtx_test_bot_get_url      (DtxTestBot     *self);
void        dtx_test_bot_set_mode     (DtxTestBot     *self,
                                       DtxTestBotMode  mode);
/* Requests that reached method (with any token). */
guint       dtx_test_bot_count        (DtxTestBot     *self,
                                       const char     *method);
/* The parameters of the last request to method, as a JSON object. */
JsonObject *dtx_test_bot_last_params  (DtxTestBot     *self,
                                       const char     *method);
/* Messages that were posted (sendMessage and sendPhoto that succeeded). */
guint       dtx_test_bot_posted       (DtxTestBot     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxTestBot, dtx_test_bot_free)

G_END_DECLS
