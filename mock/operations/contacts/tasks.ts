/** Tasks of a contact: list, create, read, update, complete, delete. */
import type { components } from '../../../openapi/generated/contacts.ts'
import { badRequest } from '../../errors.ts'
import type { MockState } from '../../state.ts'
import type { Task } from '../../store/types.ts'
import type { HandlerMap } from '../types.ts'
import { requireContact } from './lookup.ts'

type TaskView = components['schemas']['TaskSchema']

const view = ({ locationId: _omit, ...t }: Task): TaskView => t

async function requireTask(state: MockState, contactId: string, taskId: string): Promise<Task> {
  await requireContact(state.store, contactId)
  const task = await state.store.getTask(contactId, taskId)
  if (!task) throw badRequest(`Task with id ${taskId} not found`)
  return task
}

/** assignedTo must name a user of the contact's location, as on the real API. */
async function checkAssignee(state: MockState, locationId: string, userId: string | undefined) {
  if (userId === undefined) return
  const location = await state.store.getLocation(locationId)
  if (!location?.users.some((u) => u.id === userId)) throw badRequest(`User with id ${userId} not found in this location`)
}

export const tasksHandlers: HandlerMap = {
  async 'get-all-tasks'({ params }, state) {
    await requireContact(state.store, params.contactId)
    return { status: 200, body: { tasks: (await state.store.listTasks(params.contactId)).map(view) } }
  },
  async 'create-task'({ params, body }, state) {
    const contact = await requireContact(state.store, params.contactId)
    await checkAssignee(state, contact.locationId, body.assignedTo)
    return { status: 201, body: { task: view(await state.store.createTask(params.contactId, body)) } }
  },
  async 'get-task'({ params }, state) {
    return { status: 200, body: { task: view(await requireTask(state, params.contactId, params.taskId)) } }
  },
  async 'update-task'({ params, body }, state) {
    const task = await requireTask(state, params.contactId, params.taskId)
    await checkAssignee(state, task.locationId, body.assignedTo)
    return { status: 200, body: { task: view(await state.store.updateTask(params.contactId, params.taskId, body)) } }
  },
  async 'update-task-completed'({ params, body }, state) {
    await requireTask(state, params.contactId, params.taskId)
    return { status: 200, body: { task: view(await state.store.updateTask(params.contactId, params.taskId, { completed: body.completed })) } }
  },
  async 'delete-task'({ params }, state) {
    await requireTask(state, params.contactId, params.taskId)
    return { status: 200, body: { succeded: await state.store.deleteTask(params.contactId, params.taskId) } }
  },
}
