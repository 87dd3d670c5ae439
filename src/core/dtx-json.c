/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-json"
#include "config.h"

#include "dtx-json.h"

JsonObject *
dtx_json_object_member (JsonObject *object,
                        const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
dtx_json_array_member (JsonObject *object,
                       const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
dtx_json_string_member (JsonObject *object,
                        const char *name)
{
  JsonNode *node;

  if (object == NULL || !(node = json_object_get_member (object, name)))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
dtx_json_nonempty_string_member (JsonObject *object,
                                 const char *name)
{
  const char *s = dtx_json_string_member (object, name);

  return (s != NULL && *s != '\0') ? s : NULL;
}
