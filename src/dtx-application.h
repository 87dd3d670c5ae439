/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DTX_TYPE_APPLICATION (dtx_application_get_type ())
G_DECLARE_FINAL_TYPE (DtxApplication, dtx_application, DTX, APPLICATION, AdwApplication)

DtxApplication *dtx_application_new (void);

G_END_DECLS
