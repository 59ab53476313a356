/** /__mock/webhooks and uninstalls: subscriptions, the public key, deliveries, flush, events fired by hand. */
import { badRequest, notFound } from '../errors.ts'
import { defineHandlers } from '../handler.ts'
import type { MockState } from '../state.ts'

async function requireLocation(state: MockState, locationId: string) {
  const location = await state.store.getLocation(locationId)
  if (!location) throw badRequest(`Location with id ${locationId} not found`)
  return location
}

export const webhookControlHandlers = defineHandlers({
  listWebhooks: (_input, state) => ({ status: 200, body: { webhooks: state.webhooks.subscriptions.list() } }),

  async addWebhook({ body }, state) {
    if (body.locationId !== undefined) await requireLocation(state, body.locationId)
    try {
      return { status: 201, body: state.webhooks.subscriptions.add(body) }
    } catch (err) {
      throw badRequest((err as Error).message)
    }
  },

  deleteWebhook({ params }, state) {
    if (!state.webhooks.subscriptions.remove(params.id)) throw notFound(`Webhook subscription ${params.id} not found`)
    return { status: 204 }
  },

  getWebhookPublicKey: (_input, state) => ({ status: 200, body: state.webhooks.signer.publicKeys() }),

  listWebhookDeliveries: ({ query }, state) => ({
    status: 200,
    body: { deliveries: state.webhooks.deliveries({ type: query.type, state: query.state, url: query.url }) },
  }),

  redeliverWebhook({ params }, state) {
    const delivery = state.webhooks.redeliver(params.webhookId)
    if (!delivery) throw notFound(`Webhook delivery ${params.webhookId} not found`)
    return { status: 202, body: delivery }
  },

  async flushWebhooks(_input, state) {
    return { status: 200, body: { deliveries: await state.webhooks.flush() } }
  },

  async fireWebhookEvent({ body }, state) {
    await requireLocation(state, body.locationId)
    const data = { ...(body.data ?? {}) }
    // The envelope is the mock's to set; a hand-made event cannot forge it.
    for (const key of ['type', 'locationId', 'appId', 'timestamp', 'webhookId']) delete data[key]
    return { status: 202, body: { deliveries: state.webhooks.fire({ type: body.type, locationId: body.locationId, data }) } }
  },

  async uninstallApp({ params }, state) {
    const app = state.apps.get(params.clientId)
    if (!app) throw notFound(`App with client id ${params.clientId} not found`)
    const install = state.grants.uninstall(app.clientId, params.locationId)
    if (!install) throw notFound(`App ${app.clientId} is not installed on location ${params.locationId}`)
    const deliveries = state.webhooks.lifecycle('UNINSTALL', app, { locationId: install.locationId, companyId: install.companyId })
    return { status: 200, body: { install: { ...install, appName: app.name, installedAt: new Date(install.installedAt).toISOString() }, deliveries } }
  },
})
