/**
 * The vendor's own SDK (@gohighlevel/api-client) against the mock over a real socket:
 * every Contacts method, through its documented configuration (a Private Integration
 * Token, and a request interceptor that points its axios client at the mock), unpatched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HighLevel } from '@gohighlevel/api-client'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { loadSpec } from '../../openapi/load.ts'
import { T0 } from '../support/mock.ts'

let server: MockServer
let ghl: InstanceType<typeof HighLevel>
let locationId: string
let loc: { users: { id: string }[]; campaigns: { id: string }[]; workflows: { id: string }[]; businesses: { id: string }[] }
const called = new Set<string>()

beforeAll(async () => {
  server = await startMockServer({ port: 0, selfCheck: true, clock: createClock({ start: T0, frozen: true }) })
  const token = server.app.state.defaultTokens[0]
  locationId = token.locationId!
  loc = (await server.app.state.store.getLocation(locationId))!
  ghl = new HighLevel({ privateIntegrationToken: token.token, logLevel: 'error' })
  ghl.addRequestInterceptor({
    onFulfilled: (config) => {
      config.baseURL = server.url
      return config
    },
  })
  // Count the operations the SDK reached, from the mock's own journal.
})

afterAll(async () => {
  for (const e of server.app.state.journal.list()) if (e.operationId && e.status < 300) called.add(e.operationId)
  const contactsOps = loadSpec()
    .operations.filter((op) => op.api === 'contacts')
    .map((op) => op.operationId)
  expect(contactsOps.filter((id) => !called.has(id))).toEqual([])
  expect(server.app.state.selfCheckFailures).toEqual([])
  await server.close()
})

describe('@gohighlevel/api-client against the mock', () => {
  it('sends Version 2023-02-21 by default, which the mock accepts', async () => {
    const { contacts } = await ghl.contacts.getContacts({ locationId, limit: 3 })
    expect(contacts).toHaveLength(3)
  })

  it('runs every Contacts method and gets the right data back', async () => {
    const c = ghl.contacts
    const { contact } = await c.createContact({ locationId, firstName: 'Sdk', lastName: 'User', email: 'sdk.user@example.com', tags: ['sdk'] })
    const contactId = contact!.id!
    expect((await c.getContact({ contactId })).contact).toMatchObject({ id: contactId, firstName: 'Sdk', email: 'sdk.user@example.com' })
    expect((await c.updateContact({ contactId }, { lastName: 'Changed' })).contact).toMatchObject({ lastName: 'Changed' })
    const upserted = await c.upsertContact({ locationId, email: 'sdk.user@example.com', firstName: 'Upserted' })
    expect(upserted).toMatchObject({ new: false, contact: { id: contactId } })
    expect((await c.getDuplicateContact({ locationId, email: 'sdk.user@example.com' })).contact).toMatchObject({ id: contactId })
    const found = await c.searchContactsAdvanced({
      locationId,
      pageLimit: 10,
      filters: [{ field: 'email', operator: 'eq', value: 'sdk.user@example.com' }],
    } as any)
    expect(found.contacts.map((x: { id: string }) => x.id)).toEqual([contactId])

    expect((await c.addTags({ contactId }, { tags: ['a', 'b'] })).tags).toEqual(expect.arrayContaining(['sdk', 'a', 'b']))
    expect((await c.removeTags({ contactId }, { tags: ['a'] })).tags).not.toContain('a')
    const bulk = await c.createAssociation({ type: 'add' } as any, { contacts: [contactId], tags: ['bulk'], locationId })
    expect(bulk.succeded).toBe(true)
    expect((await c.getContact({ contactId })).contact!.tags).toContain('bulk')

    const { task } = await c.createTask({ contactId }, { title: 'Call', dueDate: '2026-02-01T10:00:00Z', completed: false })
    const taskId = task!.id!
    expect((await c.getTask({ contactId, taskId })).task).toMatchObject({ id: taskId, title: 'Call' })
    expect((await c.updateTask({ contactId, taskId }, { title: 'Call again' })).task).toMatchObject({ title: 'Call again' })
    expect((await c.updateTaskCompleted({ contactId, taskId }, { completed: true })).task).toMatchObject({ completed: true })
    expect((await c.getAllTasks({ contactId })).tasks!.map((t) => t.id)).toContain(taskId)
    expect((await c.deleteTask({ contactId, taskId })).succeded).toBe(true)

    const { note } = await c.createNote({ contactId }, { body: 'First note' })
    const id = note!.id!
    expect((await c.getNote({ contactId, id })).note).toMatchObject({ id, body: 'First note' })
    expect((await c.updateNote({ contactId, id }, { body: 'Edited' })).note).toMatchObject({ body: 'Edited' })
    expect((await c.getAllNotes({ contactId })).notes!.map((n) => n.id)).toContain(id)
    expect((await c.deleteNote({ contactId, id })).succeded).toBe(true)

    const userId = loc.users[0].id
    expect((await c.addFollowersContact({ contactId }, { followers: [userId] })).followers).toContain(userId)
    expect((await c.removeFollowersContact({ contactId }, { followers: [userId] })).followers).not.toContain(userId)
    const campaignId = loc.campaigns[0].id
    expect((await c.addContactToCampaign({ contactId, campaignId }, {} as any)).succeded).toBe(true)
    expect((await c.removeContactFromCampaign({ contactId, campaignId })).succeded).toBe(true)
    expect((await c.removeContactFromEveryCampaign({ contactId })).succeded).toBe(true)
    const workflowId = loc.workflows[0].id
    expect((await c.addContactToWorkflow({ contactId, workflowId }, {})).succeded).toBe(true)
    expect((await c.deleteContactFromWorkflow({ contactId, workflowId }, {})).succeded).toBe(true)

    const businessId = loc.businesses[0].id
    expect(await c.addRemoveContactFromBusiness({ locationId, ids: [contactId], businessId })).toMatchObject({ success: true, ids: [contactId] })
    const byBusiness = await c.getContactsByBusinessId({ businessId, locationId })
    expect(byBusiness.contacts!.map((x) => x.id)).toContain(contactId)

    expect(Array.isArray((await c.getAppointmentsForContact({ contactId })).events)).toBe(true)
    expect((await c.deleteContact({ contactId })).succeded).toBe(true)
    await expect(c.getContact({ contactId })).rejects.toMatchObject({ statusCode: 400 })
  })
})
