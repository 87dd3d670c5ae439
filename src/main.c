/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-main"
#include "config.h"

#include <glib/gi18n.h>

#include "dtx-application.h"
#include "dtx-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DtxApplication) app = NULL;
  /* build-aux/dev run points this at the build tree's compiled catalogues
   * (_build/po/LANG/LC_MESSAGES/), so a development run is translated too. */
  const char *localedir = g_getenv ("DTX_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  dtx_renderer_choose ();
  app = dtx_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
