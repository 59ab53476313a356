/** Campaign membership. Campaigns must exist in the contact's location (else 400). */
import { badRequest } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Contact } from '../../store/types.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

async function requireCampaign(state: MockState, contact: Contact, campaignId: string) {
  const location = await state.store.getLocation(contact.locationId)
  if (!location?.campaigns.some((c) => c.id === campaignId)) throw badRequest(`Campaign with id ${campaignId} not found`)
}

export const campaignsHandlers: HandlerMap = {
  async 'add-contact-to-campaign'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireCampaign(state, contact, params.campaignId)
    const campaigns = { ...contact.campaigns, [params.campaignId]: new Date(state.clock.now()).toISOString() }
    await state.store.updateContact(contact.id, { campaigns })
    return { status: 201, body: { succeded: true } }
  },
  async 'remove-contact-from-campaign'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireCampaign(state, contact, params.campaignId)
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
