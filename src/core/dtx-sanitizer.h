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

G_END_DECLS
