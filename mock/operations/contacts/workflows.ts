/** Workflow enrolment. Workflows must exist in the contact's location (else 400). */
import { badRequest, unprocessable } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Contact } from '../../store/types.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

async function requireWorkflow(state: MockState, contact: Contact, workflowId: string) {
  const location = await state.store.getLocation(contact.locationId)
  if (!location?.workflows.some((w) => w.id === workflowId)) throw badRequest(`Workflow with id ${workflowId} not found`)
}

export const workflowsHandlers: HandlerMap = {
  async 'add-contact-to-workflow'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireWorkflow(state, contact, params.workflowId)
    const start = body?.eventStartTime ? Date.parse(body.eventStartTime) : state.clock.now()
    if (Number.isNaN(start)) throw unprocessable(['eventStartTime must be a valid ISO 8601 date string'])
    const workflows = { ...contact.workflows, [params.workflowId]: new Date(start).toISOString() }
    await state.store.updateContact(contact.id, { workflows })
    return { status: 200, body: { succeded: true } }
  },
  async 'delete-contact-from-workflow'({ params }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await requireWorkflow(state, contact, params.workflowId)
    const { [params.workflowId]: _removed, ...workflows } = contact.workflows
    await state.store.updateContact(contact.id, { workflows })
    return { status: 200, body: { succeded: true } }
  },
}
