/**
 * Campaign membership, kept in contact.campaigns (campaignId → ISO time the contact joined).
 * The campaign must be one of the contact's location's campaigns, else 400
 * `Campaign with id … not found` (the API's 400 for unknown ids). Adding a member again
 * keeps its original join time; removing a non-member succeeds. Calls that change nothing
 * write nothing.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import { defineHandlers } from '../../handler.ts'
import { leave, requireContact, requireMembership } from './shared.ts'

type S = components['schemas']

const ok = (status: number) => {
  const res: S['CreateDeleteCantactsCampaignsSuccessfulResponseDto'] = { succeded: true }
  return { status, body: res }
}

export const campaignsHandlers = defineHandlers({
  async 'add-contact-to-campaign'(input, state) {
    const { contactId, campaignId } = input.params
    const contact = await requireMembership(state.store, contactId, 'campaigns', campaignId, 'Campaign')
    if (!Object.hasOwn(contact.campaigns, campaignId)) {
      const campaigns = { ...contact.campaigns, [campaignId]: new Date(state.clock.now()).toISOString() }
      await state.store.updateContact(contact.id, { campaigns })
    }
    return ok(201)
  },

  async 'remove-contact-from-campaign'(input, state) {
    const { contactId, campaignId } = input.params
    const contact = await requireMembership(state.store, contactId, 'campaigns', campaignId, 'Campaign')
    await leave(state.store, contact, 'campaigns', campaignId)
    return ok(200)
  },

  /** DELETE /contacts/{contactId}/campaigns/removeAll */
  async 'remove-contact-from-every-campaign'(input, state) {
    const { contactId } = input.params
    const contact = await requireContact(state.store, contactId)
    if (Object.keys(contact.campaigns).length > 0) await state.store.updateContact(contact.id, { campaigns: {} })
    return ok(200)
  },
})
