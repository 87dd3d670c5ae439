/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* URL helpers shared by the parsers, the sanitiser and the sources: one
 * place decides what a web URL is and how a relative one resolves. */

/* What a browser does before parsing a URL, only stricter: leading and
 * trailing spaces and C0 controls go, every other control character goes
 * wherever it is ("java\tscript:" is javascript:), a space becomes %20.
 * NULL when nothing is left. */
char     *dtx_uri_normalise  (const char *raw);

/* The scheme as a browser sees it (alpha *(alnum / + / - / .) ":"),
 * lower-cased, or NULL for a relative reference. */
char     *dtx_uri_scheme     (const char *url);

/* TRUE for an http: or https: URL (any case). */
gboolean  dtx_uri_is_http    (const char *url);

/* ref (trimmed) resolved against base; an absolute ref, or any ref when
 * base is NULL or not absolute, comes back trimmed. NULL for NULL or an
 * empty ref. */
char     *dtx_uri_resolve    (const char *base,
                              const char *ref);

/* g_uri_resolve_relative() that never raises a critical on odd input:
 * ref against base (NULL: ref alone), printed; NULL when either does not
 * parse with flags or the result could not be printed. */
char     *dtx_uri_join       (const char *base,
                              const char *ref,
                              GUriFlags   flags);

/* An http(s) URL with a host, parsed the way libsoup does; NULL otherwise. */
GUri     *dtx_uri_parse_http (const char *url);

G_END_DECLS
