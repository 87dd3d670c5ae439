/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The DtxReaderView type. The reader lives in a module of its own, loaded on
 * first use, so WebKit costs no memory or start-up time until an article is
 * opened. Its interface is GObject: the properties "source" and "article"
 * and the signal ::open-article (a URL of the source). */
GType dtx_reader_loader_get_type (GError **error);

/* Maps the module and WebKit in a worker thread (80 ms of main-thread CPU
 * when done by dtx_reader_loader_get_type() alone), so that call, made
 * afterwards on the main thread, only registers the type. */
void     dtx_reader_loader_preload_async  (GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean dtx_reader_loader_preload_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
