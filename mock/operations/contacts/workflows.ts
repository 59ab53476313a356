/**
 * Workflow enrolment, kept in contact.workflows (workflowId → ISO time the contact enters
 * the workflow: `eventStartTime` when given, else now). The workflow must be one of the
 * contact's location's workflows, else 400 `Workflow with id … not found`. eventStartTime
 * must be an ISO 8601 date (422 otherwise); enrolling again with one moves the start time,
 * without one keeps it. Removing a contact that is not enrolled succeeds; the DELETE's body
 * (the same CreateWorkflowDto, as the vendor documents it) is accepted and ignored.
 */
import { defineHandlers } from '../../handler.ts'
import { isoDate, leave, requireMembership } from './shared.ts'

const ok = () => {
  return { status: 200, body: { succeded: true } }
}

export const workflowsHandlers = defineHandlers({
  async 'add-contact-to-workflow'(input, state) {
    const { contactId, workflowId } = input.params
    const body = input.body ?? {}
    const contact = await requireMembership(state.store, contactId, 'workflows', workflowId, 'Workflow')
    const start = isoDate(body.eventStartTime, 'eventStartTime') ?? contact.workflows[workflowId] ?? new Date(state.clock.now()).toISOString()
    if (contact.workflows[workflowId] !== start) await state.store.updateContact(contact.id, { workflows: { ...contact.workflows, [workflowId]: start } })
    return ok()
  },

  async 'delete-contact-from-workflow'(input, state) {
    const { contactId, workflowId } = input.params
    const contact = await requireMembership(state.store, contactId, 'workflows', workflowId, 'Workflow')
    await leave(state.store, contact, 'workflows', workflowId)
    return ok()
  },
})
