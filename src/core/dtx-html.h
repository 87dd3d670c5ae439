/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

G_BEGIN_DECLS

/* The one place untrusted markup meets libxml2.
 *
 * Both readers run in recover mode, never touch the network, never load a
 * DTD or an external entity (XXE) and never substitute entities (so no
 * billion laughs), keep libxml2's size limits, and report nothing on
 * stderr: the caller logs what matters. */

/* HTML. encoding NULL: the document's own <meta charset>; otherwise the
 * bytes are taken to be in that encoding whatever they say. */
htmlDocPtr dtx_html_read (const char *html,
                          gsize       length,
                          const char *encoding);

/* XML from UTF-8 (see dtx_xml_prepare()). *well_formed (may be NULL) tells
 * whether recovery was needed; *message (may be NULL) the first error. NULL
 * only when nothing could be read at all. */
xmlDocPtr  dtx_xml_read  (const char *utf8,
                          gsize       length,
                          const char *base_uri,
                          gboolean   *well_formed,
                          char      **message);

/* Called as each element ends; TRUE when it was used up, so the reader
 * frees it at once: a large feed never stands in memory as a whole tree. */
typedef gboolean (*DtxXmlElementDone) (xmlNode  *element,
                                       gpointer  data);

/* dtx_xml_read(), handing each finished element to done (may be NULL).
 * recover FALSE reads strictly: the first error stops the reading and
 * *well_formed is FALSE. */
xmlDocPtr  dtx_xml_read_streaming (const char        *utf8,
                                   gsize              length,
                                   const char        *base_uri,
                                   gboolean           recover,
                                   DtxXmlElementDone  done,
                                   gpointer           data,
                                   gboolean          *well_formed,
                                   char             **message);

/* TRUE when data may go to the strict XML reader as it is: UTF-8 that
 * says so (or says nothing), with no &#128;–&#159; reference that
 * dtx_xml_prepare() would map. Whether it is valid UTF-8 and well-formed
 * is the strict reader's to say. */
gboolean   dtx_xml_is_plain_utf8 (const char *data,
                                  gsize       length,
                                  const char *http_charset);

/* Untrusted XML bytes as UTF-8 the XML reader accepts, the way browsers and
 * forgiving feed readers read them. The encoding is the byte-order mark's,
 * else http_charset (the HTTP Content-Type's, may be NULL), else the XML
 * declaration's, else UTF-8; ISO-8859-1 and US-ASCII are read as
 * windows-1252, and bytes that are not UTF-8 in a UTF-8 document as
 * windows-1252 characters. Then small slips are mended: HTML entities
 * (&nbsp; &eacute; &rsquo; …) become character references, &#128;–&#159;
 * the windows-1252 characters browsers show for them, a bare '&' or '<'
 * is escaped, and control characters XML forbids are dropped. Linear. */
char      *dtx_xml_prepare (const char *data,
                            gsize       length,
                            const char *http_charset,
                            gsize      *out_length);

/* Text meant to be UTF-8 as valid UTF-8: bytes that are not part of a
 * valid sequence are read as windows-1252. */
char      *dtx_markup_utf8 (const char *data,
                            gsize       length);

/* Text with numeric references and the five XML entities decoded; NULL
 * when it holds another named entity (the HTML parser knows those). */
char      *dtx_html_decode_simple (const char *text);

/* The charset parameter of a Content-Type value, or NULL. */
char      *dtx_content_type_charset (const char *content_type);

/* The URL of the first <img> in an HTML fragment, lazy-load attributes
 * (data-src, data-lazy-src, data-original) before src; NULL when there is
 * none or it is a data: URL. A lexical scan, linear. */
char      *dtx_html_first_image (const char *html);

/* html with every relative href/src/poster made absolute against base, or
 * NULL when it has none. A lexical rewrite: the rest stays byte for byte. */
char      *dtx_html_absolutize (const char *html,
                                const char *base);

G_END_DECLS
