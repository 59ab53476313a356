/**
 * Followers, campaigns and workflows of a contact:
 *   POST|DELETE /contacts/{contactId}/followers
 *   POST|DELETE /contacts/{contactId}/campaigns/{campaignId}, DELETE …/campaigns/removeAll
 *   POST|DELETE /contacts/{contactId}/workflow/{workflowId}
 * Campaign and workflow membership has no read endpoint in the Contacts API: it is read
 * back from the store (contact.campaigns / contact.workflows, id → ISO time).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ChangeEvent, Contact } from '../../mock/store/types.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'

let m: TestMock
let contact: Contact
let n = 0
const events: ChangeEvent[] = []
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

const stored = async () => (await m.state.store.getContact(contact.id))!
const now = () => new Date(m.state.clock.now()).toISOString()
const users = () => m.location.users.map((u) => u.id)

beforeAll(async () => {
  m = await makeMock()
  m.state.store.onChange((e) => events.push(e))
})

beforeEach(async () => {
  contact = await m.state.store.createContact(m.location.id, { firstName: 'Member', lastName: 'Ship', email: `member.${++n}@example.com` })
  events.length = 0
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('followers', () => {
  const add = (followers: unknown, id = contact.id) => m.http.post(`/contacts/${id}/followers`).set(m.auth()).send({ followers })
  const remove = (followers: unknown, id = contact.id) => m.http.delete(`/contacts/${id}/followers`).set(m.auth()).send({ followers })
  /** Followers as GET /contacts/ reports them (ContactsSearchSchema has `followers`). */
  const listed = async () => {
    const res = await m.http.get('/contacts/').query({ locationId: m.location.id, query: contact.email! }).set(m.auth())
    return res.body.contacts.find((c: { id: string }) => c.id === contact.id)?.followers ?? []
  }

  it('add → 201 {followers, followersAdded}; repeats count once; the list shows them', async () => {
    const [a, b, c] = users()
    expect(ok(await add([a, b, a]), 'add-followers-contact', 201)).toEqual({ followers: [a, b], followersAdded: [a, b] })
    expect(ok(await add([b, c]), 'add-followers-contact', 201)).toEqual({ followers: [a, b, c], followersAdded: [c] })
    expect(await listed()).toEqual([a, b, c])
    expect(events.map((e) => e.type)).toEqual(['ContactUpdate', 'ContactUpdate'])
  })

  it('adding only existing followers writes nothing', async () => {
    const [a] = users()
    ok(await add([a]), 'add-followers-contact', 201)
    events.length = 0
    expect(ok(await add([a]), 'add-followers-contact', 201)).toEqual({ followers: [a], followersAdded: [] })
    expect(events).toEqual([])
  })

  it('remove → 200 {followers, followersRemoved}; ids that do not follow are ignored', async () => {
    const [a, b, c] = users()
    ok(await add([a, b, c]), 'add-followers-contact', 201)
    expect(ok(await remove([b, UNKNOWN]), 'remove-followers-contact', 200)).toEqual({ followers: [a, c], followersRemoved: [b] })
    expect(await listed()).toEqual([a, c])
    events.length = 0
    expect(ok(await remove([b]), 'remove-followers-contact', 200)).toEqual({ followers: [a, c], followersRemoved: [] })
    expect(events).toEqual([])
  })

  it('users outside the location → 422 naming each; nothing changes', async () => {
    const [a] = users()
    const stranger = m.other.location.users[0].id
    const res = await add([a, UNKNOWN, stranger])
    expect(res.status).toBe(422)
    expect(res.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: [
        `followers.1 must be the id of a user of this location (got "${UNKNOWN}")`,
        `followers.2 must be the id of a user of this location (got "${stranger}")`,
      ],
    })
    expect((await stored()).followers).toEqual([])
  })

  it('unknown contact → 400; missing followers → 422', async () => {
    for (const res of [await add(users(), UNKNOWN), await remove(users(), UNKNOWN)]) {
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
    }
    const missing = await m.http.post(`/contacts/${contact.id}/followers`).set(m.auth()).send({ users: [] })
    expect(missing.status).toBe(422)
    expect(missing.body.message).toContain('property users should not exist')
  })
})

describe('campaigns', () => {
  const campaign = () => m.location.campaigns[0].id
  const add = (id: string, contactId = contact.id) => m.http.post(`/contacts/${contactId}/campaigns/${id}`).set(m.auth()).send({})
  const remove = (id: string, contactId = contact.id) => m.http.delete(`/contacts/${contactId}/campaigns/${id}`).set(m.auth())
  const removeAll = (contactId = contact.id) => m.http.delete(`/contacts/${contactId}/campaigns/removeAll`).set(m.auth())

  it('add → 201 {succeded: true}; membership is stored with the time the contact joined', async () => {
    expect(ok(await add(campaign()), 'add-contact-to-campaign', 201)).toEqual({ succeded: true })
    expect((await stored()).campaigns).toEqual({ [campaign()]: now() })
  })

  it('adding again keeps the original join time', async () => {
    ok(await add(campaign()), 'add-contact-to-campaign', 201)
    const joined = (await stored()).campaigns[campaign()]
    m.state.clock.advance(60_000)
    events.length = 0
    ok(await add(campaign()), 'add-contact-to-campaign', 201)
    expect((await stored()).campaigns[campaign()]).toBe(joined)
    expect(events).toEqual([])
  })

  it('remove one → 200; the others stay; removing a non-member succeeds', async () => {
    const [a, b] = m.location.campaigns.map((c) => c.id)
    ok(await add(a), 'add-contact-to-campaign', 201)
    ok(await add(b), 'add-contact-to-campaign', 201)
    expect(ok(await remove(a), 'remove-contact-from-campaign', 200)).toEqual({ succeded: true })
    expect(Object.keys((await stored()).campaigns)).toEqual([b])
    expect(ok(await remove(a), 'remove-contact-from-campaign', 200)).toEqual({ succeded: true })
  })

  it('removeAll → 200 and no campaigns left (not taken for a campaign id)', async () => {
    for (const c of m.location.campaigns) ok(await add(c.id), 'add-contact-to-campaign', 201)
    expect(Object.keys((await stored()).campaigns)).toHaveLength(m.location.campaigns.length)
    expect(ok(await removeAll(), 'remove-contact-from-every-campaign', 200)).toEqual({ succeded: true })
    expect(m.state.journal.list().at(-1)?.operationId).toBe('remove-contact-from-every-campaign')
    expect((await stored()).campaigns).toEqual({})
    expect(ok(await removeAll(), 'remove-contact-from-every-campaign', 200)).toEqual({ succeded: true })
  })

  it("unknown or another location's campaign → 400, nothing changes", async () => {
    for (const id of [UNKNOWN, m.other.location.campaigns[0].id]) {
      for (const res of [await add(id), await remove(id)]) {
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ statusCode: 400, message: `Campaign with id ${id} not found` })
      }
    }
    expect((await stored()).campaigns).toEqual({})
  })

  it('unknown contact → 400 for all three', async () => {
    for (const res of [await add(campaign(), UNKNOWN), await remove(campaign(), UNKNOWN), await removeAll(UNKNOWN)]) {
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
    }
  })

  it('the add body takes no fields', async () => {
    const res = await m.http.post(`/contacts/${contact.id}/campaigns/${campaign()}`).set(m.auth()).send({ startAt: 'now' })
    expect(res.status).toBe(422)
    expect(res.body.message).toContain('property startAt should not exist')
  })
})

describe('workflows', () => {
  const workflow = () => m.location.workflows[0].id
  const add = (id: string, body: object = {}, contactId = contact.id) => m.http.post(`/contacts/${contactId}/workflow/${id}`).set(m.auth()).send(body)
  const remove = (id: string, contactId = contact.id) => m.http.delete(`/contacts/${contactId}/workflow/${id}`).set(m.auth()).send({})

  it('add → 200 {succeded: true}; stored with eventStartTime (normalized to UTC) or now', async () => {
    const [a, b] = m.location.workflows.map((w) => w.id)
    expect(ok(await add(a, { eventStartTime: '2021-06-23T03:30:00+01:00' }), 'add-contact-to-workflow', 200)).toEqual({ succeded: true })
    ok(await add(b), 'add-contact-to-workflow', 200)
    expect((await stored()).workflows).toEqual({ [a]: '2021-06-23T02:30:00.000Z', [b]: now() })
  })

  it('enrolling again moves the start only when eventStartTime is given', async () => {
    const w = workflow()
    ok(await add(w, { eventStartTime: '2026-03-01T10:00:00Z' }), 'add-contact-to-workflow', 200)
    events.length = 0
    ok(await add(w), 'add-contact-to-workflow', 200)
    expect((await stored()).workflows[w]).toBe('2026-03-01T10:00:00.000Z')
    expect(events).toEqual([])
    ok(await add(w, { eventStartTime: '2026-04-01T10:00:00Z' }), 'add-contact-to-workflow', 200)
    expect((await stored()).workflows[w]).toBe('2026-04-01T10:00:00.000Z')
  })

  it('delete → 200 {succeded: true}; the others stay; deleting a non-member succeeds', async () => {
    const [a, b] = m.location.workflows.map((w) => w.id)
    ok(await add(a), 'add-contact-to-workflow', 200)
    ok(await add(b), 'add-contact-to-workflow', 200)
    expect(ok(await remove(a), 'delete-contact-from-workflow', 200)).toEqual({ succeded: true })
    expect(Object.keys((await stored()).workflows)).toEqual([b])
    expect(ok(await remove(a), 'delete-contact-from-workflow', 200)).toEqual({ succeded: true })
  })

  it('eventStartTime must be an ISO 8601 date (422)', async () => {
    const res = await add(workflow(), { eventStartTime: 'next monday' })
    expect(res.status).toBe(422)
    expect(res.body).toEqual({ statusCode: 422, message: ['eventStartTime must be a valid ISO 8601 date string'], error: 'Unprocessable Entity' })
    expect((await stored()).workflows).toEqual({})
  })

  it("unknown or another location's workflow → 400; unknown contact → 400", async () => {
    for (const id of [UNKNOWN, m.other.location.workflows[0].id]) {
      for (const res of [await add(id), await remove(id)]) {
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ statusCode: 400, message: `Workflow with id ${id} not found` })
      }
    }
    for (const res of [await add(workflow(), {}, UNKNOWN), await remove(workflow(), UNKNOWN)]) {
      expect(res.status).toBe(400)
      expect(res.body.message).toBe(`Contact with id ${UNKNOWN} not found`)
    }
  })
})

checkVendorSchemas()
