/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fuzz-opml"
#include "config.h"

#include "dtx-fuzz.h"
#include "dtx-opml.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) outlines = NULL;

  dtx_fuzz_init ();
  bytes = g_bytes_new (data, size);
  outlines = dtx_opml_parse (bytes, NULL);
  /* What was read writes back out. */
  if (outlines != NULL)
    {
      g_autoptr(GBytes) written = dtx_opml_write (outlines, "Fuzz");
    }
  return 0;
}
