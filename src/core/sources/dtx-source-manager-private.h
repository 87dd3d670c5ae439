/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "dtx-source-manager.h"

G_BEGIN_DECLS

/* What the tests reach into. */

/* The periodic refresh every `seconds` instead of minutes (0 = off). */
void dtx_source_manager_set_refresh_seconds_for_testing (DtxSourceManager *self,
                                                         guint             seconds);
/* The monitor asked whether the network is metered (default:
 * g_network_monitor_get_default ()). */
void dtx_source_manager_set_network_monitor_for_testing (DtxSourceManager *self,
                                                         GNetworkMonitor  *monitor);

G_END_DECLS
