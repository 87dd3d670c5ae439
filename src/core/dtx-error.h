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
} DtxError;

GQuark dtx_error_quark (void);

G_END_DECLS
