/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One subscription of an OPML file. */
typedef struct {
  char *url;      /* the feed or site URL (xmlUrl) */
  char *title;    /* title, else text; may be NULL */
  char *html_url; /* the site's page (htmlUrl); may be NULL */
} DtxOpmlOutline;

#define DTX_TYPE_OPML_OUTLINE (dtx_opml_outline_get_type ())
GType           dtx_opml_outline_get_type (void) G_GNUC_CONST;
DtxOpmlOutline *dtx_opml_outline_new      (const char           *url,
                                           const char           *title,
                                           const char           *html_url);
DtxOpmlOutline *dtx_opml_outline_copy     (const DtxOpmlOutline *outline);
void            dtx_opml_outline_free     (DtxOpmlOutline       *outline);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxOpmlOutline, dtx_opml_outline_free)

/* Reads OPML 1.0/2.0 (nested outlines flattened; xmlUrl, else url for
 * type=rss/link); no external entities, no network, no entity expansion.
 * Malformed: DTX_ERROR_PARSE. A GPtrArray of DtxOpmlOutline in document
 * order; duplicates are kept (the caller reports them as skipped). */
GPtrArray *dtx_opml_parse (GBytes     *data,
                           GError    **error);
/* An OPML 2.0 document of outlines (DtxOpmlOutline), escaped properly,
 * dateCreated set. title may be NULL. */
GBytes    *dtx_opml_write (GPtrArray  *outlines,
                           const char *title);

G_END_DECLS
