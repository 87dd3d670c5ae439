/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fuzz-sanitizer"
#include "config.h"

#include "dtx-fuzz.h"
#include "dtx-sanitizer.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *html = g_strndup ((const char *) data, size);
  g_autofree char *clean = NULL;
  g_autofree char *text = NULL;

  dtx_fuzz_init ();
  clean = dtx_sanitizer_clean (html, "https://fuzz.example/post/");
  text = dtx_sanitizer_to_text (html);
  return 0;
}
