/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *dtx_renderer_pick   (const char *dev_dir,
                                 const char *always_software);
void        dtx_renderer_choose (void);
void        dtx_renderer_restore_for (GAppLaunchContext *context);
/* dtx_renderer_choose() told GDK to leave OpenGL alone. */
gboolean    dtx_renderer_gdk_gl_disabled (void);

G_END_DECLS
