/** Campaign membership. Campaigns must exist in the contact's location (else 400). */
import type { HandlerMap } from '../types.ts'
import { requireContact, requireLocationRef } from './lookup.ts'

export const campaignsHandlers: HandlerMap = {
  async 'add-contact-to-campaign'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireLocationRef(state.store, contact, 'campaigns', params.campaignId, 'Campaign')
    const campaigns = { ...contact.campaigns, [params.campaignId]: new Date(state.clock.now()).toISOString() }
    await state.store.updateContact(contact.id, { campaigns })
    return { status: 201, body: { succeded: true } }
  },
  async 'remove-contact-from-campaign'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireLocationRef(state.store, contact, 'campaigns', params.campaignId, 'Campaign')
    const { [params.campaignId]: _removed, ...campaigns } = contact.campaigns
    await state.store.updateContact(contact.id, { campaigns })
    return { status: 200, body: { succeded: true } }
  },
  async 'remove-contact-from-every-campaign'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await state.store.updateContact(contact.id, { campaigns: {} })
    return { status: 200, body: { succeded: true } }
  },
}
