/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Allowlist sanitiser for untrusted article HTML (a body fragment). Returns
 * an HTML fragment safe to put inside the reader template: no scripts, event
 * handlers, javascript:/non-image data: URLs, forms, meta/base/link,
 * object/embed, style elements or URL-loading style attributes, SVG/MathML.
 * Iframes survive only for YouTube/Vimeo embeds, others become links.
 * Lazy-load images (data-src, data-srcset, data-lazy-src) get real src.
 * Relative URLs resolve against base_uri (may be NULL). Never NULL. */
char *dtx_sanitizer_clean   (const char *html,
                             const char *base_uri);

/* Plain text of an HTML snippet: tags stripped, entities decoded
 * (&#8217; &#038; &hellip; …), white space collapsed and trimmed. Never NULL. */
char *dtx_sanitizer_to_text (const char *html);

/* What one element keeps before libxml2 sees it: its first attributes, and
 * start tags up to this depth (deeper ones go, their text stays). libxml2
 * stops parsing altogether past 256 levels, and the cleaner walks 200. */
#define DTX_SANITIZER_MAX_ATTRIBUTES 64
#define DTX_SANITIZER_MAX_NESTING    192
/* Tags kept in one article: a long real one has a few thousand. Past this,
 * the rest shows as text. */
#define DTX_SANITIZER_MAX_TAGS       100000

/* A linear pass over untrusted markup that bounds attributes per tag and
 * nesting as above and drops end tags that close nothing, so parsing it
 * stays linear in its length. Both functions
 * above use it; so should anything else that hands such markup to libxml2.
 * n_dropped (may be NULL) counts attributes and tags left out. */
char *dtx_sanitizer_bound_markup (const char *html,
                                  gsize      *n_dropped);

G_END_DECLS
