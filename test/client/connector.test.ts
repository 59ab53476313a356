/**
 * Done when: a connector written with this client survives the built-in scenarios
 * (`rate-limited`, `flaky`, `slow`, `token-expiry`) with the right final data and no
 * duplicate writes. Each scenario runs in the kit's connector harness: a fresh mock over
 * a real socket, strict mode on (a 429 the client walked into, or a repeated create, is
 * a violation), the duplicate finder, and this file's check of the final data.
 */
import { describe, expect, it } from 'vitest'
import { runConnectorHarness, type ConnectorContext, type HarnessScenario } from '../../contracts/harness.ts'
import { failures, formatText } from '../../contracts/report.ts'
import { createGhlClient, GhlError, oauthRefresher, tokensFromResponse, type OAuthTokens } from '../../client/index.ts'
import type { MockState } from '../../mock/state.ts'

const TRAINEES = Array.from({ length: 40 }, (_, i) => ({
  firstName: `Trainee${i}`,
  lastName: 'Harness',
  email: `trainee${i}@training.test`,
  course: i % 2 ? 'Safety 101' : 'First aid',
}))

/** The app's install, as the connector's OAuth callback would have done it (docs/auth.md: "Testing your OAuth install flow"). */
async function install(ctx: ConnectorContext, clientId: string, clientSecret: string, redirectUri: string): Promise<OAuthTokens> {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'contacts.readonly contacts.write',
    state: 'x',
    locationId: ctx.locationId,
  })
  const consent = await fetch(`${ctx.baseUrl}/oauth/chooselocation?${params}`, { redirect: 'manual' })
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!
  const res = await fetch(`${ctx.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'authorization_code', code, user_type: 'Location' }),
  })
  if (!res.ok) throw new Error(`install failed: ${res.status} ${await res.text()}`)
  return tokensFromResponse(await res.json(), ctx.now())
}

/** The connector, as a user writes it with the client (see docs/client.md): OAuth, upsert, tags, a note and a task each, then a pull. */
async function connector(ctx: ConnectorContext) {
  const app = ctx.mock.app.state.apps.defaultApp // a real connector has its own client id and secret
  const tokens = await install(ctx, app.clientId, app.clientSecret, app.redirectUris[0])
  const ghl = createGhlClient({
    baseUrl: ctx.baseUrl,
    version: ctx.version as '2021-07-28',
    oauth: { ...tokens, refresh: oauthRefresher({ clientId: app.clientId, clientSecret: app.clientSecret, baseUrl: ctx.baseUrl, now: ctx.now }) },
    now: ctx.now,
    sleep: ctx.sleep,
    timeoutMs: 5_000,
  })
  const push = async (t: (typeof TRAINEES)[number]) => {
    const { contact } = await ghl.contacts.upsert({
      locationId: ctx.locationId,
      email: t.email,
      firstName: t.firstName,
      lastName: t.lastName,
      createNewIfDuplicateAllowed: false,
    })
    await ghl.tags.add(contact.id, { tags: ['harness-trainee'] })
    await ghl.notes.create(contact.id, { body: `Enrolled in ${t.course}` }, { recover: true })
    await ghl.tasks.create(contact.id, { title: `Welcome call: ${t.course}`, dueDate: '2026-02-01T09:00:00.000Z', completed: false }, { recover: true })
  }
  // Four workers share the client, and so its rate budget and its token refreshes.
  const queue = [...TRAINEES]
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) await push(t)
    }),
  )
  let pulled = 0
  for await (const c of ghl.contacts.searchAll({
    locationId: ctx.locationId,
    pageLimit: 10,
    filters: [{ field: 'tags', operator: 'eq', value: 'harness-trainee' }],
  })) {
    if (!c.email?.endsWith('@training.test')) throw new GhlError({ kind: 'validation', message: `unexpected contact ${c.id}` })
    pulled++
  }
  if (pulled !== TRAINEES.length) throw new Error(`pulled ${pulled} trainees, expected ${TRAINEES.length}`)
}

async function finalData(state: MockState, ctx: ConnectorContext) {
  const { contacts } = await state.store.searchContacts(ctx.locationId, {
    locationId: ctx.locationId,
    pageLimit: 500,
    filters: [{ field: 'email', operator: 'contains', value: '@training.test' }],
  })
  expect(contacts).toHaveLength(TRAINEES.length)
  for (const c of contacts) {
    const t = TRAINEES.find((x) => x.email === c.email)!
    expect(c.tags).toContain('harness-trainee')
    expect((await state.store.listNotes(c.id)).map((n) => n.body)).toEqual([`Enrolled in ${t.course}`])
    expect((await state.store.listTasks(c.id)).map((x) => x.title)).toEqual([`Welcome call: ${t.course}`])
  }
  // The client never sent a request into a spent budget, and no 429 reached the mock.
  const contactsCalls = state.journal.list().filter((e) => e.path.startsWith('/contacts'))
  expect(contactsCalls.filter((e) => e.rateRemaining !== undefined && e.rateRemaining <= 0)).toEqual([])
  expect(contactsCalls.filter((e) => e.status === 429)).toEqual([])
}

const refreshes = (state: MockState) => state.journal.list().filter((e) => e.path === '/oauth/token').length - 1 // minus the install

/** Each scenario, and what must be seen to have happened in it. */
const scenarios: Array<{ scenario: HarnessScenario | string; saw: (state: MockState) => void }> = [
  { scenario: 'clean', saw: (s) => expect(s.journal.list({ fault: '*' })).toEqual([]) },
  {
    scenario: 'rate-limited', // 5 requests per 10 s: most of the run is waiting (in mock time)
    saw: (s) => expect(s.clock.now() - Date.UTC(2026, 0, 15, 12)).toBeGreaterThan(((TRAINEES.length * 4) / 5) * 10_000 * 0.9),
  },
  {
    scenario: 'flaky', // one request in five fails with 502/503
    saw: (s) => {
      const faulted = s.journal.list({ fault: '*' })
      expect(faulted.length).toBeGreaterThan(10)
      // Creates failed too, and were recovered without a second copy (checked above).
      expect(faulted.filter((e) => e.operationId === 'create-note' || e.operationId === 'create-task').length).toBeGreaterThan(0)
    },
  },
  {
    // 1.5 s per request, waited in mock time so the test stays fast.
    scenario: { name: 'slow', options: { scenarios: ['slow'] }, setup: (mock) => void (mock.app.state.sleep = async (ms) => mock.app.state.clock.advance(ms)) },
    saw: (s) => expect(s.journal.list({ fault: 'latency=1500' }).length).toBeGreaterThan(TRAINEES.length * 4),
  },
  {
    scenario: 'token-expiry', // access tokens live 60 s of mock time
    saw: (s) => {
      const oauth = s.tokens.list().filter((t) => t.kind === 'oauth')
      expect(oauth.length).toBeGreaterThanOrEqual(1)
      expect(oauth.every((t) => t.expiresAt! - t.issuedAt === 60_000)).toBe(true)
      expect(s.journal.list({ status: 401 })).toEqual([])
    },
  },
  {
    // The same, with 1.5 s answers (mock time): the run spans several token lifetimes.
    scenario: {
      name: 'token-expiry + slow',
      options: { scenarios: ['token-expiry', 'slow'] },
      setup: (mock) => void (mock.app.state.sleep = async (ms) => mock.app.state.clock.advance(ms)),
    },
    saw: (s) => {
      expect(s.clock.now() - Date.UTC(2026, 0, 15, 12)).toBeGreaterThan(3 * 60_000)
      expect(refreshes(s)).toBeGreaterThanOrEqual(3) // refreshed mid-run, proactively
      expect(s.journal.list({ status: 401 })).toEqual([]) // before expiry every time
    },
  },
]

describe('a connector built on the client', () => {
  for (const { scenario, saw } of scenarios) {
    const name = typeof scenario === 'string' ? scenario : scenario.name
    it(`survives the ${name} scenario: right final data, no duplicate write, no contract violation`, async () => {
      const report = await runConnectorHarness({
        connector,
        scenarios: [scenario],
        check: async (state, ctx) => {
          await finalData(state, ctx)
          saw(state)
        },
        timeoutMs: 60_000,
      })
      expect(failures(report), formatText(report)).toEqual([])
    }, 90_000)
  }
})
