/**
 * Tasks of a contact: list, create, read, update (shallow merge), complete, delete.
 *
 * Unknown ids answer 400, like the API's unknown contact: `Contact with id … not found`
 * first, then `Task with id … not found` (a task id of another contact counts as unknown).
 *
 * Choices where the vendor documents nothing:
 *   - assignedTo must name a user of the contact's location, else 400
 *     `User with id … not found in this location`. 400 rather than 422 because the body is
 *     well-formed; it names a record that does not exist, which is what 400 means
 *     everywhere else in this API (contact, campaign, workflow ids).
 *   - dueDate (an ISO 8601 date or date-time, as the spec says) is stored and answered in
 *     the API's canonical form, `2026-02-01T09:00:00.000Z`.
 */
import type { components } from '../../../openapi/generated/contacts.ts'
import type { MockState } from '../../state.ts'
import type { Task } from '../../store/types.ts'
import { defineHandlers, type BodyOf } from '../../handler.ts'
import { isoDate, requireChild, requireContact, requireUser } from './shared.ts'

type S = components['schemas']

/** The stored task as the API shows it (TaskSchema has no locationId). */
const view = ({ locationId: _omit, ...t }: Task): S['TaskSchema'] => t

const requireTask = (state: MockState, contactId: string, taskId: string): Promise<Task> =>
  requireChild(state.store, contactId, 'Task', taskId, () => state.store.getTask(contactId, taskId))

/** The writable fields of a create or update body, dueDate normalized; absent fields stay absent (shallow merge). */
function taskFields(body: BodyOf<'update-task'>): Partial<Task> {
  const fields: Partial<Task> = { ...body }
  if (body.dueDate !== undefined) fields.dueDate = isoDate(body.dueDate, 'dueDate')
  return fields
}

export const tasksHandlers = defineHandlers({
  async 'get-all-tasks'(input, state) {
    const { contactId } = input.params
    await requireContact(state.store, contactId)
    return { status: 200, body: { tasks: (await state.store.listTasks(contactId)).map(view) } }
  },

  async 'create-task'(input, state) {
    const { contactId } = input.params
    const body = input.body
    const contact = await requireContact(state.store, contactId)
    const fields = taskFields(body)
    await requireUser(state.store, contact.locationId, body.assignedTo)
    return { status: 201, body: { task: view(await state.store.createTask(contactId, fields)) } }
  },

  async 'get-task'(input, state) {
    const { contactId, taskId } = input.params
    return { status: 200, body: { task: view(await requireTask(state, contactId, taskId)) } }
  },

  async 'update-task'(input, state) {
    const { contactId, taskId } = input.params
    const body = input.body
    const task = await requireTask(state, contactId, taskId)
    const fields = taskFields(body)
    await requireUser(state.store, task.locationId, body.assignedTo)
    return { status: 200, body: { task: view(await state.store.updateTask(contactId, taskId, fields)) } }
  },

  async 'update-task-completed'(input, state) {
    const { contactId, taskId } = input.params
    const { completed } = input.body
    await requireTask(state, contactId, taskId)
    return { status: 200, body: { task: view(await state.store.updateTask(contactId, taskId, { completed })) } }
  },

  async 'delete-task'(input, state) {
    const { contactId, taskId } = input.params
    await requireTask(state, contactId, taskId)
    return { status: 200, body: { succeded: await state.store.deleteTask(contactId, taskId) } }
  },
})
