/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "dtx-context"
#include "config.h"

#include "dtx-context.h"

struct _DtxContext
{
  GObject     parent_instance;

  DtxFetcher *fetcher;
  DtxStore   *store;
  DtxSecrets *secrets;
  DtxTelegram *telegram;
  DtxSourceManager *sources;
};

G_DEFINE_FINAL_TYPE (DtxContext, dtx_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FETCHER,
  PROP_STORE,
  PROP_SECRETS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dtx_context_dispose (GObject *object)
{
  DtxContext *self = (DtxContext *)object;

  g_clear_object (&self->fetcher);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->telegram);
  g_clear_object (&self->sources);

  G_OBJECT_CLASS (dtx_context_parent_class)->dispose (object);
}

static void
dtx_context_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DtxContext *self = DTX_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_FETCHER: g_value_set_object (value, self->fetcher); break;
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_SECRETS: g_value_set_object (value, self->secrets); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_context_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DtxContext *self = DTX_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_FETCHER: self->fetcher = g_value_dup_object (value); break;
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_SECRETS: self->secrets = g_value_dup_object (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dtx_context_constructed (GObject *object)
{
  DtxContext *self = (DtxContext *)object;

  G_OBJECT_CLASS (dtx_context_parent_class)->constructed (object);

  if (self->fetcher == NULL)
    self->fetcher = dtx_fetcher_new ();
  if (self->store == NULL)
    {
      g_autofree char *path = dtx_context_default_store_path ();
      self->store = dtx_store_new (path);
    }
  if (self->secrets == NULL)
    self->secrets = dtx_secrets_new_keyring ();
}

static void
dtx_context_class_init (DtxContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dtx_context_dispose;
  object_class->get_property = dtx_context_get_property;
  object_class->set_property = dtx_context_set_property;
  object_class->constructed = dtx_context_constructed;

  properties[PROP_FETCHER] =
    g_param_spec_object ("fetcher", NULL, NULL, DTX_TYPE_FETCHER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DTX_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, DTX_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dtx_context_init (DtxContext *self)
{
}

DtxContext *
dtx_context_new (DtxFetcher *fetcher,
                 DtxStore   *store)
{
  return g_object_new (DTX_TYPE_CONTEXT, "fetcher", fetcher, "store", store, NULL);
}

DtxFetcher *
dtx_context_get_fetcher (DtxContext *self)
{
  g_return_val_if_fail (DTX_IS_CONTEXT (self), NULL);
  return self->fetcher;
}

DtxStore *
dtx_context_get_store (DtxContext *self)
{
  g_return_val_if_fail (DTX_IS_CONTEXT (self), NULL);
  return self->store;
}

char *
dtx_context_default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, "store.db", NULL);
}

DtxSecrets *
dtx_context_get_secrets (DtxContext *self)
{
  g_return_val_if_fail (DTX_IS_CONTEXT (self), NULL);
  return self->secrets;
}

DtxTelegram *
dtx_context_get_telegram (DtxContext *self)
{
  g_return_val_if_fail (DTX_IS_CONTEXT (self), NULL);

  if (self->telegram == NULL)
    self->telegram = dtx_telegram_new (dtx_fetcher_get_session (self->fetcher));
  return self->telegram;
}

DtxSourceManager *
dtx_context_get_sources (DtxContext *self)
{
  g_return_val_if_fail (DTX_IS_CONTEXT (self), NULL);

  if (self->sources == NULL)
    self->sources = dtx_source_manager_new (self->fetcher, self->store);
  return self->sources;
}
