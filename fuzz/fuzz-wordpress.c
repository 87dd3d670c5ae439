/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fuzz-wordpress"
#include "config.h"

#include "dtx-fuzz.h"
#include "dtx-wordpress.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autofree char *root = NULL;

  dtx_fuzz_init ();
  bytes = g_bytes_new (data, size);
  posts = dtx_wordpress_parse_posts (bytes, "Fuzz", NULL);
  /* The home page reader sees the same bytes as HTML. */
  root = dtx_wordpress_api_root_from_html ((const char *) data, size);
  return 0;
}
