/**
 * The whole Contacts API in one walk, in the order a connector would use it: create, read,
 * update, upsert, search, tasks, notes, tags, followers, campaigns, workflows, bulk,
 * business, appointments, delete. Each of the 32 operations:
 *   - answers the success status the vendor documents (and our spec, which must agree);
 *   - is routed to the operation the step names (checked in the journal: e.g. removeAll is
 *     not taken for a campaign id);
 *   - has its writes visible in a later read: through the API where one exists, through
 *     the store for campaign and workflow membership, which the API never reads back;
 *   - answers a body valid against our spec (checked here, and by the self-check) and
 *     against the vendor's published response schema (contracts/upstream.ts). Without the
 *     vendor folder (a fresh clone has no ../shared/upstream) the vendor test is skipped,
 *     with a note; our own checks still run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadUpstream } from '../../contracts/upstream.ts'
import { loadSpec } from '../../openapi/load.ts'
import { makeMock, type TestMock } from '../support/mock.ts'

const upstream = await loadUpstream()
if (!upstream) {
  console.warn("[scenario] vendor schema checks skipped: ../shared/upstream/apps/contacts.json not found (a fresh clone has none); our spec's checks still run")
}

const spec = loadSpec()
const contactOperations = spec.operations.filter((op) => op.api === 'contacts').map((op) => op.operationId)

let m: TestMock
const walked: string[] = []
const ourProblems: string[] = []
const vendorProblems: string[] = []

beforeAll(async () => {
  m = await makeMock()
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

/** The one 2xx status our spec documents for an operation. */
function documentedStatus(operationId: string): number {
  const op = spec.byId.get(operationId)
  expect(op, `${operationId} is in our spec`).toBeDefined()
  const ok = Object.keys(op!.responses).filter((s) => /^2\d\d$/.test(s))
  expect(ok, `${operationId} documents one success status`).toHaveLength(1)
  return Number(ok[0])
}

type Method = 'get' | 'post' | 'put' | 'delete'

/** One call: `status` is the vendor's documented success status for the operation. */
async function step(operationId: string, status: number, method: Method, path: string, body?: object) {
  const req = m.http[method](path).set(m.auth())
  const res = body === undefined ? await req : await req.send(body)
  expect(res.status, `${operationId}: ${JSON.stringify(res.body)}`).toBe(status)
  expect(documentedStatus(operationId), `${operationId}: our spec's success status`).toBe(status)
  expect(m.state.journal.list().at(-1)?.operationId, `${method.toUpperCase()} ${path} routed to`).toBe(operationId)
  walked.push(operationId)
  const ours = m.state.validator.checkResponse(spec.byId.get(operationId)!, status, res.body)
  ourProblems.push(...ours.errors.map((e) => `${operationId}: ${e}`))
  // By our operationId: contracts/upstream.ts maps bulk-update-tags to the vendor's create-association by method + path.
  if (upstream) vendorProblems.push(...upstream(operationId, status, res.body))
  return res.body
}

const ids = (list: Array<{ id: string }>) => list.map((c) => c.id)

describe('all 32 operations, in order', () => {
  it('walks the API, each step with its documented status, and sees its own writes', async () => {
    const loc = m.location.id
    const email = 'walk.trainee@example.com'

    // Create, read, update, upsert, duplicate lookup, search, list.
    const { contact } = await step('create-contact', 201, 'post', '/contacts/', {
      locationId: loc,
      firstName: 'Walk',
      lastName: 'Trainee',
      email,
      phone: '+1 555 010 7788',
      tags: ['trainee'],
    })
    const id = contact.id as string
    const read = async () => (await step('get-contact', 200, 'get', `/contacts/${id}`)).contact
    expect(await read()).toMatchObject({ id, email, phone: '+15550107788', firstName: 'Walk', tags: ['trainee'] })
    expect((await step('update-contact', 200, 'put', `/contacts/${id}`, { city: 'Lisbon' })).contact.city).toBe('Lisbon')
    expect(await read()).toMatchObject({ id, city: 'Lisbon' })
    const up = await step('upsert-contact', 200, 'post', '/contacts/upsert', { locationId: loc, email, lastName: 'Upserted' })
    expect(up).toMatchObject({ new: false, contact: { id, lastName: 'Upserted', city: 'Lisbon' } })
    expect(await read()).toMatchObject({ lastName: 'Upserted' })
    const duplicate = await step('get-duplicate-contact', 200, 'get', `/contacts/search/duplicate?locationId=${loc}&email=${email}`)
    expect(duplicate).toMatchObject({ contact: { id }, matchingField: 'email' })
    const found = await step('search-contacts-advanced', 200, 'post', '/contacts/search', {
      locationId: loc,
      pageLimit: 5,
      filters: [{ field: 'lastName', operator: 'eq', value: 'upserted' }],
    })
    expect(ids(found.contacts)).toEqual([id])
    const list = async () => (await step('get-contacts', 200, 'get', `/contacts/?locationId=${loc}&query=walk.trainee`)).contacts
    expect(ids(await list())).toEqual([id])

    // Tasks.
    const tasks = `/contacts/${id}/tasks`
    const { task } = await step('create-task', 201, 'post', tasks, { title: 'Orientation', dueDate: '2026-02-01T09:00:00Z', completed: false })
    expect((await step('get-task', 200, 'get', `${tasks}/${task.id}`)).task).toEqual(task)
    expect((await step('update-task', 200, 'put', `${tasks}/${task.id}`, { body: 'Room 2' })).task).toEqual({ ...task, body: 'Room 2' })
    expect((await step('update-task-completed', 200, 'put', `${tasks}/${task.id}/completed`, { completed: true })).task.completed).toBe(true)
    expect((await step('get-all-tasks', 200, 'get', tasks)).tasks).toEqual([{ ...task, body: 'Room 2', completed: true }])

    // Notes.
    const notes = `/contacts/${id}/notes`
    const { note } = await step('create-note', 201, 'post', notes, { body: 'Passed module 1' })
    expect((await step('get-note', 200, 'get', `${notes}/${note.id}`)).note).toEqual(note)
    expect((await step('update-note', 200, 'put', `${notes}/${note.id}`, { body: 'Passed module 2' })).note.body).toBe('Passed module 2')
    expect((await step('get-all-notes', 200, 'get', notes)).notes).toEqual([{ ...note, body: 'Passed module 2' }])

    // Tags.
    expect((await step('add-tags', 201, 'post', `/contacts/${id}/tags`, { tags: ['cohort-7'] })).tags).toEqual(['trainee', 'cohort-7'])
    expect((await read()).tags).toEqual(['trainee', 'cohort-7'])
    expect((await step('remove-tags', 200, 'delete', `/contacts/${id}/tags`, { tags: ['trainee'] })).tags).toEqual(['cohort-7'])
    expect((await read()).tags).toEqual(['cohort-7'])

    // Followers (GET /contacts/ reports them).
    const user = m.location.users[0].id
    expect(await step('add-followers-contact', 201, 'post', `/contacts/${id}/followers`, { followers: [user] })).toEqual({
      followers: [user],
      followersAdded: [user],
    })
    expect((await list())[0].followers).toEqual([user])
    expect(await step('remove-followers-contact', 200, 'delete', `/contacts/${id}/followers`, { followers: [user] })).toEqual({
      followers: [],
      followersRemoved: [user],
    })
    expect((await list())[0].followers ?? []).toEqual([])

    // Campaigns and workflows: the API has no read for membership; the store has it.
    const stored = async () => (await m.state.store.getContact(id))!
    const [campaign, campaign2] = m.location.campaigns.map((c) => c.id)
    expect(await step('add-contact-to-campaign', 201, 'post', `/contacts/${id}/campaigns/${campaign}`, {})).toEqual({ succeded: true })
    expect(Object.keys((await stored()).campaigns)).toEqual([campaign])
    expect(await step('remove-contact-from-campaign', 200, 'delete', `/contacts/${id}/campaigns/${campaign}`)).toEqual({ succeded: true })
    expect((await stored()).campaigns).toEqual({})
    await step('add-contact-to-campaign', 201, 'post', `/contacts/${id}/campaigns/${campaign2}`, {})
    expect(Object.keys((await stored()).campaigns)).toEqual([campaign2])
    expect(await step('remove-contact-from-every-campaign', 200, 'delete', `/contacts/${id}/campaigns/removeAll`)).toEqual({ succeded: true })
    expect((await stored()).campaigns).toEqual({})

    const workflow = m.location.workflows[0].id
    expect(await step('add-contact-to-workflow', 200, 'post', `/contacts/${id}/workflow/${workflow}`, { eventStartTime: '2026-02-01T10:00:00Z' })).toEqual({
      succeded: true,
    })
    expect((await stored()).workflows).toEqual({ [workflow]: '2026-02-01T10:00:00.000Z' })
    expect(await step('delete-contact-from-workflow', 200, 'delete', `/contacts/${id}/workflow/${workflow}`, {})).toEqual({ succeded: true })
    expect((await stored()).workflows).toEqual({})

    // Bulk tags: one good contact, one unknown id.
    const unknown = 'AAAAAAAAAAAAAAAAAAAA'
    const bulk = await step('bulk-update-tags', 201, 'post', '/contacts/bulk/tags/update/add', { contacts: [id, unknown], tags: ['bulk'], locationId: loc })
    expect(bulk).toEqual({ succeded: false, errorCount: 1, responses: [`${id}: Tags updated`, `${unknown}: contact not found`] })
    expect((await read()).tags).toEqual(['cohort-7', 'bulk'])

    // Business.
    const business = m.location.businesses[0].id
    expect(
      await step('add-remove-contact-from-business', 200, 'post', '/contacts/bulk/business', { locationId: loc, ids: [id], businessId: business }),
    ).toMatchObject({ success: true, ids: [id] })
    expect((await read()).businessId).toBe(business)
    const byBusiness = await step('get-contacts-by-businessId', 200, 'get', `/contacts/business/${business}?locationId=${loc}&limit=100`)
    expect(ids(byBusiness.contacts)).toContain(id)

    // Appointments (read-only; a new contact has none).
    expect(await step('get-appointments-for-contact', 200, 'get', `/contacts/${id}/appointments`)).toEqual({ events: [] })

    // Deletes, each confirmed by a read.
    expect(await step('delete-task', 200, 'delete', `${tasks}/${task.id}`)).toEqual({ succeded: true })
    expect((await step('get-all-tasks', 200, 'get', tasks)).tasks).toEqual([])
    expect(await step('delete-note', 200, 'delete', `${notes}/${note.id}`)).toEqual({ succeded: true })
    expect((await step('get-all-notes', 200, 'get', notes)).notes).toEqual([])
    expect(await step('delete-contact', 200, 'delete', `/contacts/${id}`)).toEqual({ succeded: true })
    const gone = await m.http.get(`/contacts/${id}`).set(m.auth())
    expect(gone.status).toBe(400)
    expect(gone.body).toEqual({ statusCode: 400, message: `Contact with id ${id} not found` })
  })

  it('walked every Contacts operation of our spec (32)', () => {
    expect(contactOperations).toHaveLength(32)
    expect([...new Set(walked)].sort()).toEqual([...contactOperations].sort())
  })

  it('every success body validates against our spec', () => {
    expect(walked.length).toBeGreaterThanOrEqual(32)
    expect(ourProblems).toEqual([])
    expect(m.state.selfCheckFailures).toEqual([])
  })

  it.skipIf(!upstream)("every success body also validates against the vendor's published schema", () => {
    expect(walked.length).toBeGreaterThanOrEqual(32)
    expect(vendorProblems).toEqual([])
  })
})
