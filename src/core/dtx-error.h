/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DTX_ERROR (dtx_error_quark ())

typedef enum {
  DTX_ERROR_NETWORK,   /* offline, DNS failure, connection refused or reset */
  DTX_ERROR_TIMEOUT,   /* the server did not answer in time */
  DTX_ERROR_TLS,       /* certificate not trusted: we fail closed */
  DTX_ERROR_HTTP,      /* the server answered 4xx/5xx */
  DTX_ERROR_TOO_LARGE, /* response body over the size cap */
  DTX_ERROR_PARSE,     /* malformed JSON/XML, or not the expected shape */
  DTX_ERROR_EMPTY,     /* a valid answer with no articles */
  DTX_ERROR_NOT_FOUND, /* the article asked for does not exist */
  /* Telegram's Bot API (src/core/share/dtx-telegram.c) */
  DTX_ERROR_UNAUTHORIZED,    /* 401: the bot token is wrong or revoked */
  DTX_ERROR_CHAT_NOT_FOUND,  /* 400 chat not found */
  DTX_ERROR_FORBIDDEN,       /* 403: the bot may not post there (not an admin) */
  DTX_ERROR_RATE_LIMITED,    /* 429, still after one wait and retry */
  DTX_ERROR_REJECTED,        /* another 400: Telegram refused the request */
  DTX_ERROR_UNKNOWN_OUTCOME, /* a post was sent, no answer came: it may exist */
  DTX_ERROR_NOT_CONFIGURED,  /* no bot token or chat set up */
  DTX_ERROR_SECRETS,         /* the keyring could not be used */
  /* Sources (src/core/sources/) */
  DTX_ERROR_NOT_MODIFIED,    /* a 304 to a conditional request: nothing to parse or write */
  DTX_ERROR_NO_FEED,         /* discovery found neither a WordPress API nor a feed */
  DTX_ERROR_EXISTS,          /* the source is already followed */
} DtxError;

GQuark dtx_error_quark (void);

/* A DTX_ERROR's message is one translated sentence for people: the status
 * page, toast or banner shows it as it is. Technical detail (HTTP status,
 * a parser's message, what a server wrote) never goes into it; the code
 * that makes the error logs that detail with g_message() right there. */

G_END_DECLS
