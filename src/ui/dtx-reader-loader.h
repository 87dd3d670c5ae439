/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The DtxReaderView type. The reader lives in a module of its own, loaded on
 * first use, so WebKit costs no memory or start-up time until an article is
 * opened. Its interface is GObject: the properties "source" and "article"
 * and the signal ::open-article (a URL of the source). */
GType dtx_reader_loader_get_type (GError **error);

G_END_DECLS
