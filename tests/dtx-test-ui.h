/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#ifdef DTX_TEST_LINKS_READER
# include "dtx-reader-view.h"
# include "dtx-window-private.h"
#endif

G_BEGIN_DECLS

/* adw_init(), after setting up what WebKit's sandbox needs. */
void      dtx_test_ui_init      (void);

typedef gboolean (*DtxTestCondition) (gpointer data);

/* Iterates the main context until condition holds. The deadline only keeps a
 * broken build from hanging CI: passing it fails the test. */
gboolean  dtx_test_wait_until   (DtxTestCondition  condition,
                                 gpointer          data,
                                 const char       *what);
/* Runs the main loop for a while (for "nothing else happens" checks). */
void      dtx_test_spin         (guint             milliseconds);
#ifdef DTX_TEST_LINKS_READER
/* The window's reader, NULL before the first article (this program links
 * the reader in, see tests/meson.build). */
DtxReaderView *dtx_test_reader_of (DtxWindow *window);
/* Waits until the view has finished loading a page. */
gboolean  dtx_test_wait_loaded  (WebKitWebView    *web_view);
/* Evaluates script in the page and returns its result as a string. */
char     *dtx_test_eval_string  (WebKitWebView    *web_view,
                                 const char       *script);
#endif
typedef gboolean (*DtxTestMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget at or below widget (depth first) that match accepts. */
GtkWidget *dtx_test_find_widget (GtkWidget        *widget,
                                 DtxTestMatch      match,
                                 gconstpointer     data);
/* The text a label shows, a GtkLabel's or an article row's; NULL for any
 * other widget. */
const char *dtx_test_label_text (GtkWidget        *widget);
/* Finds a mapped label showing exactly text below widget, or NULL. */
GtkWidget *dtx_test_find_label  (GtkWidget        *widget,
                                 const char       *text);

G_END_DECLS
