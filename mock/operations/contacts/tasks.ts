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
 *   - dueDate must be an ISO 8601 date (422 in class-validator wording otherwise) and is
 *     stored and answered in the API's canonical form, `2026-02-01T09:00:00.000Z`.
 */
import type { components, operations } from '../../../openapi/generated/contacts.ts'
import type { MockState } from '../../state.ts'
import type { Task } from '../../store/types.ts'
import { defineHandlers } from '../../handler.ts'
import { isoDate, requireChild, requireContact, requireUser } from './shared.ts'

type S = components['schemas']
type Path<K extends keyof operations> = operations[K]['parameters']['path']
type Body<K extends keyof operations> = NonNullable<operations[K]['requestBody']>['content']['application/json']

/** The stored task as the API shows it (TaskSchema has no locationId). */
const view = ({ locationId: _omit, ...t }: Task): S['TaskSchema'] => t

const requireTask = (state: MockState, contactId: string, taskId: string): Promise<Task> =>
  requireChild(state.store, contactId, 'Task', taskId, () => state.store.getTask(contactId, taskId))

/** The writable fields of a create or update body, dueDate normalized; absent fields stay absent (shallow merge). */
function taskFields(body: Body<'update-task'>): Partial<Task> {
  const fields: Partial<Task> = { ...body }
  if (body.dueDate !== undefined) fields.dueDate = isoDate(body.dueDate, 'dueDate')
  return fields
}

export const tasksHandlers = defineHandlers({
  async 'get-all-tasks'(input, state) {
    const { contactId } = input.params as Path<'get-all-tasks'>
    await requireContact(state.store, contactId)
    const res: S['TasksListSuccessfulResponseDto'] = { tasks: (await state.store.listTasks(contactId)).map(view) }
    return { status: 200, body: res }
  },

  async 'create-task'(input, state) {
    const { contactId } = input.params as Path<'create-task'>
    const body = input.body as Body<'create-task'>
    const contact = await requireContact(state.store, contactId)
    const fields = taskFields(body)
    await requireUser(state.store, contact.locationId, body.assignedTo)
    const res: S['TaskByIsSuccessfulResponseDto'] = { task: view(await state.store.createTask(contactId, fields)) }
    return { status: 201, body: res }
  },

  async 'get-task'(input, state) {
    const { contactId, taskId } = input.params as Path<'get-task'>
    const res: S['TaskByIsSuccessfulResponseDto'] = { task: view(await requireTask(state, contactId, taskId)) }
    return { status: 200, body: res }
  },

  async 'update-task'(input, state) {
    const { contactId, taskId } = input.params as Path<'update-task'>
    const body = input.body as Body<'update-task'>
    const task = await requireTask(state, contactId, taskId)
    const fields = taskFields(body)
    await requireUser(state.store, task.locationId, body.assignedTo)
    const res: S['TaskByIsSuccessfulResponseDto'] = { task: view(await state.store.updateTask(contactId, taskId, fields)) }
    return { status: 200, body: res }
  },

  async 'update-task-completed'(input, state) {
    const { contactId, taskId } = input.params as Path<'update-task-completed'>
    const { completed } = input.body as Body<'update-task-completed'>
    await requireTask(state, contactId, taskId)
    const res: S['TaskByIsSuccessfulResponseDto'] = { task: view(await state.store.updateTask(contactId, taskId, { completed })) }
    return { status: 200, body: res }
  },

  async 'delete-task'(input, state) {
    const { contactId, taskId } = input.params as Path<'delete-task'>
    await requireTask(state, contactId, taskId)
    const res: S['DeleteTaskSuccessfulResponseDto'] = { succeded: await state.store.deleteTask(contactId, taskId) }
    return { status: 200, body: res }
  },
})
