/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fuzz-feed"
#include "config.h"

#include "dtx-fuzz.h"
#include "dtx-feed.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) articles = NULL;
  g_autofree char *title = NULL;
  /* Both paths of the charset choice: the document's own, and an HTTP
   * header that overrides it. */
  const char *type = size % 2 ? "text/xml; charset=windows-1252" : NULL;

  dtx_fuzz_init ();
  bytes = g_bytes_new (data, size);
  articles = dtx_feed_parse_full (bytes, "https://fuzz.example/feed/", type, &title, NULL);
  return 0;
}
