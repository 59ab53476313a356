/**
 * The whole Contacts API in one walk, in the order a connector would use it: create, read,
 * update, upsert, search, tasks, notes, tags, followers, campaigns, workflows, bulk,
 * business, delete. Each of the 32 operations gets its documented success status, sees
 * its own writes, and its body validates against our spec (self-check) and the vendor's.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpec } from '../../openapi/load.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { vendorErrors } from './vendor-check.ts'

const vendorPresent = existsSync(fileURLToPath(new URL('../../../shared/upstream/apps/contacts.json', import.meta.url)))
if (!vendorPresent) console.warn('[scenario] vendor schema checks skipped: ../shared/upstream not found (a fresh clone has none)')

// Our operationId for the bulk tags endpoint differs from the vendor's broken one.
const VENDOR_ID: Record<string, string> = { 'bulk-update-tags': 'create-association' }

let m: TestMock
const walked: string[] = []
const vendorProblems: string[] = []

beforeAll(async () => {
  m = await makeMock()
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

async function step(operationId: string, status: number, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) {
  const req = m.http[method](path).set(m.auth())
  const res = body === undefined ? await req : await req.send(body as object)
  expect(res.status, `${operationId}: ${JSON.stringify(res.body)}`).toBe(status)
  walked.push(operationId)
  vendorProblems.push(...vendorErrors(VENDOR_ID[operationId] ?? operationId, status, res.body))
  return res.body
}

describe('all 32 operations, in order', () => {
  it('walks the API and sees its own writes', async () => {
    const loc = m.location.id
    const email = 'walk.trainee@example.com'
    const { contact } = await step('create-contact', 201, 'post', '/contacts/', { locationId: loc, firstName: 'Walk', lastName: 'Trainee', email, phone: '+1 555 010 7788', tags: ['trainee'] })
    const id = contact.id as string
    expect((await step('get-contact', 200, 'get', `/contacts/${id}`)).contact).toMatchObject({ id, email, phone: '+15550107788' })
    expect((await step('update-contact', 200, 'put', `/contacts/${id}`, { city: 'Lisbon' })).contact.city).toBe('Lisbon')
    const up = await step('upsert-contact', 200, 'post', '/contacts/upsert', { locationId: loc, email, lastName: 'Upserted' })
    expect(up).toMatchObject({ new: false, contact: { id, lastName: 'Upserted', city: 'Lisbon' } })
    expect((await step('get-duplicate-contact', 200, 'get', `/contacts/search/duplicate?locationId=${loc}&email=${email}`)).contact.id).toBe(id)
    const found = await step('search-contacts-advanced', 200, 'post', '/contacts/search', { locationId: loc, pageLimit: 5, filters: [{ field: 'lastName', operator: 'eq', value: 'upserted' }] })
    expect(found.contacts.map((c: { id: string }) => c.id)).toEqual([id])
    const list = await step('get-contacts', 200, 'get', `/contacts/?locationId=${loc}&query=walk.trainee`)
    expect(list.contacts.map((c: { id: string }) => c.id)).toEqual([id])

    const { task } = await step('create-task', 201, 'post', `/contacts/${id}/tasks`, { title: 'Orientation', dueDate: '2026-02-01T09:00:00Z', completed: false })
    expect((await step('get-task', 200, 'get', `/contacts/${id}/tasks/${task.id}`)).task.title).toBe('Orientation')
    expect((await step('update-task', 200, 'put', `/contacts/${id}/tasks/${task.id}`, { body: 'Room 2' })).task.body).toBe('Room 2')
    expect((await step('update-task-completed', 200, 'put', `/contacts/${id}/tasks/${task.id}/completed`, { completed: true })).task.completed).toBe(true)
    expect((await step('get-all-tasks', 200, 'get', `/contacts/${id}/tasks`)).tasks).toEqual([expect.objectContaining({ id: task.id, completed: true, body: 'Room 2' })])

    const { note } = await step('create-note', 201, 'post', `/contacts/${id}/notes`, { body: 'Passed module 1' })
    expect((await step('get-note', 200, 'get', `/contacts/${id}/notes/${note.id}`)).note.body).toBe('Passed module 1')
    expect((await step('update-note', 200, 'put', `/contacts/${id}/notes/${note.id}`, { body: 'Passed module 2' })).note.body).toBe('Passed module 2')
    expect((await step('get-all-notes', 200, 'get', `/contacts/${id}/notes`)).notes.map((n: { body: string }) => n.body)).toEqual(['Passed module 2'])

    expect((await step('add-tags', 201, 'post', `/contacts/${id}/tags`, { tags: ['cohort-7'] })).tags).toEqual(['trainee', 'cohort-7'])
    expect((await step('remove-tags', 200, 'delete', `/contacts/${id}/tags`, { tags: ['trainee'] })).tags).toEqual(['cohort-7'])

    const user = m.location.users[0].id
    expect((await step('add-followers-contact', 201, 'post', `/contacts/${id}/followers`, { followers: [user] })).followers).toContain(user)
    expect((await step('remove-followers-contact', 200, 'delete', `/contacts/${id}/followers`, { followers: [user] })).followers).not.toContain(user)

    const campaign = m.location.campaigns[0].id
    await step('add-contact-to-campaign', 201, 'post', `/contacts/${id}/campaigns/${campaign}`, {})
    expect(Object.keys((await m.state.store.getContact(id))!.campaigns)).toEqual([campaign])
    await step('remove-contact-from-campaign', 200, 'delete', `/contacts/${id}/campaigns/${campaign}`)
    await step('remove-contact-from-every-campaign', 200, 'delete', `/contacts/${id}/campaigns/removeAll`)
    expect((await m.state.store.getContact(id))!.campaigns).toEqual({})

    const workflow = m.location.workflows[0].id
    await step('add-contact-to-workflow', 200, 'post', `/contacts/${id}/workflow/${workflow}`, { eventStartTime: '2026-02-01T10:00:00Z' })
    expect((await m.state.store.getContact(id))!.workflows).toEqual({ [workflow]: '2026-02-01T10:00:00.000Z' })
    await step('delete-contact-from-workflow', 200, 'delete', `/contacts/${id}/workflow/${workflow}`, {})
    expect((await m.state.store.getContact(id))!.workflows).toEqual({})

    const bulk = await step('bulk-update-tags', 201, 'post', '/contacts/bulk/tags/update/add', { contacts: [id, 'AAAAAAAAAAAAAAAAAAAA'], tags: ['bulk'], locationId: loc })
    expect(bulk).toMatchObject({ succeded: false, errorCount: 1 })
    expect((await m.state.store.getContact(id))!.tags).toContain('bulk')

    const business = m.location.businesses[0].id
    await step('add-remove-contact-from-business', 200, 'post', '/contacts/bulk/business', { locationId: loc, ids: [id], businessId: business })
    const byBusiness = await step('get-contacts-by-businessId', 200, 'get', `/contacts/business/${business}?locationId=${loc}&limit=100`)
    expect(byBusiness.contacts.map((c: { id: string }) => c.id)).toContain(id)

    expect(Array.isArray((await step('get-appointments-for-contact', 200, 'get', `/contacts/${id}/appointments`)).events)).toBe(true)
    expect((await step('delete-task', 200, 'delete', `/contacts/${id}/tasks/${task.id}`)).succeded).toBe(true)
    expect((await step('delete-note', 200, 'delete', `/contacts/${id}/notes/${note.id}`)).succeded).toBe(true)
    expect(await step('delete-contact', 200, 'delete', `/contacts/${id}`)).toEqual({ succeded: true })
    expect((await m.http.get(`/contacts/${id}`).set(m.auth())).status).toBe(400)

    const all = loadSpec().operations.filter((op) => op.api === 'contacts').map((op) => op.operationId)
    expect(new Set(walked)).toEqual(new Set(all))
    expect(all).toHaveLength(32)
  })

  it.skipIf(!vendorPresent)("every success body also validates against the vendor's published schema", () => {
    expect(walked.length).toBeGreaterThanOrEqual(32)
    expect(vendorProblems).toEqual([])
  })
})
