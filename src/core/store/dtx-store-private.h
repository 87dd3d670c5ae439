/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-store.h"

G_BEGIN_DECLS

/* What the tests and the benchmark reach into. */

/* The text the search index holds for an HTML body: tags dropped (script
 * and style with their content), entities decoded, spaces collapsed. */
char     *dtx_store_plain_text            (const char          *html);

/* Runs sql on the worker's connection, queued like any call: lets a test
 * set PRAGMA max_page_count (a full disk) on the very connection. */
void      dtx_store_exec_for_testing_async  (DtxStore            *self,
                                             const char          *sql,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  dtx_store_exec_for_testing_finish (DtxStore            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Makes stores opened from now on behave as if SQLite had no FTS5, so the
 * LIKE fallback and the later indexing of such a file can be tested. */
void      dtx_store_disable_fts_for_testing (gboolean           disabled);

/* Does now what the worker does when idle (index new rows, merge index
 * segments) until nothing is left: a benchmark measures searches on the
 * index as it settles, apart from the work of settling it. */
void      dtx_store_finish_background_for_testing_async  (DtxStore            *self,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean  dtx_store_finish_background_for_testing_finish (DtxStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* TRUE when searches use FTS5 (FALSE: the LIKE fallback). Valid once the
 * open completed. */
gboolean  dtx_store_has_fts_for_testing   (DtxStore            *self);

G_END_DECLS
