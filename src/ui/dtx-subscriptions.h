/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "dtx-source-manager.h"

G_BEGIN_DECLS

/* OPML import and export of the followed sources, shared by the window's
 * menu and the --import-opml / --export-opml command line. */

/* What an import did: how many sources were added, skipped (followed
 * already, or twice in the file) and failed, with one line per failure
 * ("URL: reason"). */
typedef struct {
  guint      n_added;
  guint      n_skipped;
  guint      n_failed;
  GPtrArray *failures; /* char * */
  GPtrArray *added;    /* DtxSource, in file order */
} DtxImportReport;

void             dtx_import_report_free (DtxImportReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DtxImportReport, dtx_import_report_free)

/* Reads file as OPML and adds each outline through the manager (its kind
 * probed on the first refresh: WordPress REST, else the address read as a
 * feed). A file that is not OPML changes nothing and fails with its reason. */
void             dtx_subscriptions_import_async  (DtxSourceManager    *manager,
                                                  DtxFetcher          *fetcher,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DtxImportReport *dtx_subscriptions_import_finish (DtxSourceManager    *manager,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Writes every followed source to file as OPML 2.0; *n_written counts them. */
void             dtx_subscriptions_export_async  (DtxSourceManager    *manager,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         dtx_subscriptions_export_finish (DtxSourceManager    *manager,
                                                  GAsyncResult        *result,
                                                  guint               *n_written,
                                                  GError             **error);

/* Sentences for people: "Added 3 sources. 1 was skipped as a duplicate. 2 could not be added." */
char            *dtx_import_report_describe (const DtxImportReport *report);

G_END_DECLS
