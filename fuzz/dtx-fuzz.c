/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-fuzz"
#include "config.h"

#include "dtx-fuzz.h"

static void
quiet (const char     *log_domain,
       GLogLevelFlags  level,
       const char     *message,
       gpointer        data)
{
  /* Criticals are bugs: they abort, so the fuzzer keeps the
   * input. Messages and debug output would only slow it down. */
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR))
    {
      g_printerr ("%s: %s\n", log_domain ? log_domain : "", message);
      g_abort ();
    }
}

void
dtx_fuzz_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_default_handler (quiet, NULL);
      g_once_init_leave (&done, 1);
    }
}
