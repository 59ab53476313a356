/** Workflow enrolment. Workflows must exist in the contact's location (else 400). */
import { unprocessable } from '../../errors.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact, requireLocationRef } from './lookup.ts'

export const workflowsHandlers: HandlerMap = {
  async 'add-contact-to-workflow'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireLocationRef(state.store, contact, 'workflows', params.workflowId, 'Workflow')
    const start = body?.eventStartTime ? Date.parse(body.eventStartTime) : state.clock.now()
    if (Number.isNaN(start)) throw unprocessable(['eventStartTime must be a valid ISO 8601 date string'])
    const workflows = { ...contact.workflows, [params.workflowId]: new Date(start).toISOString() }
    await state.store.updateContact(contact.id, { workflows })
    return { status: 200, body: { succeded: true } }
  },
  async 'delete-contact-from-workflow'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireLocationRef(state.store, contact, 'workflows', params.workflowId, 'Workflow')
    const { [params.workflowId]: _removed, ...workflows } = contact.workflows
    await state.store.updateContact(contact.id, { workflows })
    return { status: 200, body: { succeded: true } }
  },
}
