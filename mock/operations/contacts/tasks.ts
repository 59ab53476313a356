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
import type { components, operations } from '../../../openapi/generated/contacts.ts'
import { badRequest, unprocessable } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Task } from '../../store/types.ts'
import type { HandlerMap } from '../../handler.ts'
import { requireContact } from './lookup.ts'

type S = components['schemas']
type Path<K extends keyof operations> = operations[K]['parameters']['path']
type Body<K extends keyof operations> = NonNullable<operations[K]['requestBody']>['content']['application/json']

/**
 * An ISO 8601 date string (the spec's format, checked before the handler runs) → its
 * canonical form (`….000Z`); undefined stays undefined. A leap second (`23:59:60Z`) passes
 * the format but not Date.parse: it gets the format's 422 rather than a 500.
 */
export function isoDate(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw unprocessable([`${field} must be a valid ISO 8601 date string`])
  return new Date(ms).toISOString()
}

/** The stored task as the API shows it (TaskSchema has no locationId). */
const view = ({ locationId: _omit, ...t }: Task): S['TaskSchema'] => t

async function requireTask(state: MockState, contactId: string, taskId: string): Promise<Task> {
  await requireContact(state.store, contactId)
  const task = await state.store.getTask(contactId, taskId)
  if (!task) throw badRequest(`Task with id ${taskId} not found`)
  return task
}

async function checkAssignee(state: MockState, locationId: string, userId: string | undefined): Promise<void> {
  if (userId === undefined) return
  const location = await state.store.getLocation(locationId)
  if (!location?.users.some((u) => u.id === userId)) throw badRequest(`User with id ${userId} not found in this location`)
}

/** The writable fields of a create or update body, dueDate normalized; absent fields stay absent (shallow merge). */
function taskFields(body: Body<'update-task'>): Partial<Task> {
  const fields: Partial<Task> = { ...body }
  if (body.dueDate !== undefined) fields.dueDate = isoDate(body.dueDate, 'dueDate')
  return fields
}

export const tasksHandlers: HandlerMap = {
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
    await checkAssignee(state, contact.locationId, body.assignedTo)
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
    await checkAssignee(state, task.locationId, body.assignedTo)
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
}
