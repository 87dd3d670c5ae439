/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <webkit/webkit.h>
#include "dtx-article.h"
#include "dtx-source.h"

G_BEGIN_DECLS

#define DTX_TYPE_READER_VIEW (dtx_reader_view_get_type ())
G_DECLARE_FINAL_TYPE (DtxReaderView, dtx_reader_view, DTX, READER_VIEW, AdwBin)

/* The WebKit reader for one article at a time. It is built as a module that
 * the app loads on first use (see dtx-reader-loader.h); only tests link it. Article HTML is sanitised and
 * shown with page JavaScript off under a strict CSP. A click on a link to
 * another article of the source emits ::open-article; any other link goes
 * to the default browser. */
GtkWidget     *dtx_reader_view_new          (DtxSource     *source);
void           dtx_reader_view_set_source   (DtxReaderView *self,
                                             DtxSource     *source);
void           dtx_reader_view_show_article (DtxReaderView *self,
                                             DtxArticle    *article);
DtxArticle    *dtx_reader_view_get_article  (DtxReaderView *self);
/* TRUE while the article's page is being prepared (sanitised) in a worker
 * thread, before the web view starts loading it. */
gboolean       dtx_reader_view_is_rendering (DtxReaderView *self);
WebKitWebView *dtx_reader_view_get_web_view (DtxReaderView *self);
/* The link under the pointer, shown at the bottom of the reader, or NULL. */
const char    *dtx_reader_view_get_hovered_link (DtxReaderView *self);
/* The full page the reader loads for article: exposed for tests. */
char          *dtx_reader_view_render_html  (DtxArticle    *article,
                                             gboolean       dark);

G_END_DECLS
