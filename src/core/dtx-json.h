/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members of untrusted JSON: NULL when missing, null or of another type,
 * never a critical (the json-glib getters emit one on a mismatch). object
 * may be NULL. */
JsonObject *dtx_json_object_member          (JsonObject *object,
                                             const char *name);
JsonArray  *dtx_json_array_member           (JsonObject *object,
                                             const char *name);
const char *dtx_json_string_member          (JsonObject *object,
                                             const char *name);
/* Like dtx_json_string_member() but NULL for "". */
const char *dtx_json_nonempty_string_member (JsonObject *object,
                                             const char *name);

G_END_DECLS
