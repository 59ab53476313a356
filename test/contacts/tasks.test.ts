/** Tasks of a contact: /contacts/{contactId}/tasks[/{taskId}[/completed]]. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChangeEvent, Contact } from '../../mock/store/types.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'

let m: TestMock
let contact: Contact
let other: Contact
const events: ChangeEvent[] = []
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

/** Asserts the status and that the body satisfies the vendor's schema too (ours: the self-check). */

const tasksPath = (contactId = contact.id) => `/contacts/${contactId}/tasks`
const create = (body: object, contactId = contact.id) => m.http.post(tasksPath(contactId)).set(m.auth()).send(body)
const newTask = { title: 'Call back', dueDate: '2026-02-01T09:00:00Z', completed: false }

beforeAll(async () => {
  m = await makeMock()
  const { contacts } = await m.state.store.listContacts(m.location.id, { limit: 2 })
  ;[contact, other] = contacts
  m.state.store.onChange((e) => events.push(e))
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('task lifecycle', () => {
  it('create → get → update (shallow merge) → complete → list → delete, each write visible in later reads', async () => {
    const user = m.location.users[0].id
    events.length = 0
    const { task } = ok(await create({ ...newTask, body: 'About the invoice', assignedTo: user }), 'create-task', 201)
    expect(task).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      contactId: contact.id,
      title: 'Call back',
      body: 'About the invoice',
      assignedTo: user,
      dueDate: '2026-02-01T09:00:00.000Z',
      completed: false,
    })
    expect(events.map((e) => e.type)).toEqual(['TaskCreate'])

    expect(ok(await m.http.get(`${tasksPath()}/${task.id}`).set(m.auth()), 'get-task', 200)).toEqual({ task })

    const updated = ok(
      await m.http.put(`${tasksPath()}/${task.id}`).set(m.auth()).send({ body: 'Invoice 42', dueDate: '2026-02-03T10:30:00+01:00' }),
      'update-task',
      200,
    )
    expect(updated.task).toEqual({ ...task, body: 'Invoice 42', dueDate: '2026-02-03T09:30:00.000Z' })

    const done = ok(await m.http.put(`${tasksPath()}/${task.id}/completed`).set(m.auth()).send({ completed: true }), 'update-task-completed', 200)
    expect(done.task).toEqual({ ...updated.task, completed: true })
    expect(events.map((e) => e.type)).toEqual(['TaskCreate', 'TaskUpdate', 'TaskComplete'])

    const list = ok(await m.http.get(tasksPath()).set(m.auth()), 'get-all-tasks', 200)
    expect(list.tasks).toContainEqual(done.task)
    expect(list.tasks.every((t: { contactId: string }) => t.contactId === contact.id)).toBe(true)

    expect(ok(await m.http.delete(`${tasksPath()}/${task.id}`).set(m.auth()), 'delete-task', 200)).toEqual({ succeded: true })
    expect(events.at(-1)?.type).toBe('TaskDelete')
    const after = ok(await m.http.get(tasksPath()).set(m.auth()), 'get-all-tasks', 200)
    expect(after.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id)
    const gone = await m.http.get(`${tasksPath()}/${task.id}`).set(m.auth())
    expect(gone.status).toBe(400)
    expect(gone.body).toEqual({ statusCode: 400, message: `Task with id ${task.id} not found` })
  })

  it('an empty update changes nothing; completed can be set back to false', async () => {
    const { task } = ok(await create({ ...newTask, completed: true }), 'create-task', 201)
    expect(ok(await m.http.put(`${tasksPath()}/${task.id}`).set(m.auth()).send({}), 'update-task', 200).task).toEqual(task)
    const reopened = ok(await m.http.put(`${tasksPath()}/${task.id}/completed`).set(m.auth()).send({ completed: false }), 'update-task-completed', 200)
    expect(reopened.task).toEqual({ ...task, completed: false })
    expect((await m.state.store.getTask(contact.id, task.id))?.completed).toBe(false)
  })

  it("lists only this contact's tasks, and a new contact has none", async () => {
    const { task } = ok(await create(newTask, other.id), 'create-task', 201)
    const mine = ok(await m.http.get(tasksPath()).set(m.auth()), 'get-all-tasks', 200)
    expect(mine.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id)
    const fresh = await m.state.store.createContact(m.location.id, { firstName: 'No', lastName: 'Tasks' })
    expect(ok(await m.http.get(tasksPath(fresh.id)).set(m.auth()), 'get-all-tasks', 200)).toEqual({ tasks: [] })
  })
})

describe('unknown ids → 400', () => {
  it.each([
    ['get', ''],
    ['post', ''],
    ['get', `/${UNKNOWN}`],
    ['put', `/${UNKNOWN}`],
    ['put', `/${UNKNOWN}/completed`],
    ['delete', `/${UNKNOWN}`],
  ] as const)('%s /contacts/<unknown>/tasks%s', async (method, rest) => {
    const body = method === 'post' ? newTask : rest.endsWith('completed') ? { completed: true } : method === 'put' ? {} : undefined
    const req = m.http[method](`/contacts/${UNKNOWN}/tasks${rest}`).set(m.auth())
    const res = body ? await req.send(body) : await req
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
  })

  it.each([
    ['get', ''],
    ['put', ''],
    ['put', '/completed'],
    ['delete', ''],
  ] as const)('%s an unknown task%s → Task with id … not found', async (method, rest) => {
    const req = m.http[method](`${tasksPath()}/${UNKNOWN}${rest}`).set(m.auth())
    const res = method === 'put' ? await req.send(rest ? { completed: true } : {}) : await req
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: `Task with id ${UNKNOWN} not found` })
  })

  it("another contact's task is unknown under this contact", async () => {
    const { task } = ok(await create(newTask, other.id), 'create-task', 201)
    const res = await m.http.get(`${tasksPath()}/${task.id}`).set(m.auth())
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`Task with id ${task.id} not found`)
    expect((await m.http.delete(`${tasksPath()}/${task.id}`).set(m.auth())).status).toBe(400)
    expect(await m.state.store.getTask(other.id, task.id)).toBeDefined()
  })
})

describe('validation', () => {
  it('assignedTo must be a user of the location (400), on create and update; nothing is written', async () => {
    const before = (await m.state.store.listTasks(contact.id)).length
    const stranger = m.other.location.users[0].id
    for (const assignedTo of [UNKNOWN, stranger]) {
      const res = await create({ ...newTask, assignedTo })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ statusCode: 400, message: `User with id ${assignedTo} not found in this location` })
    }
    expect(await m.state.store.listTasks(contact.id)).toHaveLength(before)

    const { task } = ok(await create(newTask), 'create-task', 201)
    const res = await m.http.put(`${tasksPath()}/${task.id}`).set(m.auth()).send({ assignedTo: stranger, title: 'x' })
    expect(res.status).toBe(400)
    expect(await m.state.store.getTask(contact.id, task.id)).toMatchObject({ title: newTask.title })
  })

  it('dueDate must be an ISO 8601 date (422)', async () => {
    for (const dueDate of ['tomorrow', '2026-13-45T00:00:00Z', '01/02/2026']) {
      const res = await create({ ...newTask, dueDate })
      expect(res.status, dueDate).toBe(422)
      expect(res.body).toEqual({ statusCode: 422, message: ['dueDate must be a valid ISO 8601 date string'], error: 'Unprocessable Entity' })
    }
    expect(ok(await create({ ...newTask, dueDate: '2026-03-01' }), 'create-task', 201).task.dueDate).toBe('2026-03-01T00:00:00.000Z')
  })

  it('required fields, types and unknown properties → 422 listing every problem', async () => {
    const res = await create({ title: 'x', completed: 'yes', priority: 'high' })
    expect(res.status).toBe(422)
    expect(res.body.message).toEqual(
      expect.arrayContaining(['property priority should not exist', expect.stringMatching(/dueDate/), expect.stringMatching(/completed/)]),
    )
    const completed = await m.http.put(`${tasksPath()}/${UNKNOWN}/completed`).set(m.auth()).send({})
    expect(completed.status).toBe(422)
  })

  it("another location's contact → 403", async () => {
    const { contacts } = await m.state.store.listContacts(m.other.location.id, { limit: 1 })
    const res = await m.http.get(tasksPath(contacts[0].id)).set(m.auth())
    expect(res.status).toBe(403)
    expect((await create(newTask, contacts[0].id)).status).toBe(403)
  })
})

checkVendorSchemas()
