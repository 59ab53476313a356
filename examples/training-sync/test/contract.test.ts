/**
 * The connector under every scenario of the kit's harness (a fresh mock per scenario,
 * strict mode on, the duplicate finder, the webhook checks), with OAuth tokens from a
 * real install flow and its triggers from the mock's signed webhooks:
 *
 * - clean, rate-limited (5 requests per 10 s), flaky (one request in five fails with
 *   502/503), slow (1.5 s answers), token-expiry (access tokens live 60 s), and
 *   rate-limited with token-expiry together. Waits pass in mock time.
 * - webhook-chaos (duplicated, reordered, late deliveries) and webhook faults (chaos, a
 *   mis-signed ContactCreate that only the backfill can make good, and a failing task
 *   create that makes the receiver answer 429 until the platform's retry succeeds).
 * - One day of the connector's life: the nightly backfill finds the hires tagged before
 *   the install; an hour later HR tags new hires and the webhooks bring them in; a rename
 *   follows; the next backfill finds only what a webhook could not deliver; trainees
 *   finish their paths and the tasks complete. The harness then checks that every
 *   webhook was acknowledged, every bad signature refused, and every delivered event
 *   handled exactly once: no trainee, note or task twice.
 */
import { describe, expect, it } from 'vitest'
import { authorize, expectConnectorToPass, type ConnectorContext, type HarnessScenario } from 'ghl-contacts-mock/harness'
import { createOAuthClient, exchangeAuthorizationCode } from 'ghl-contacts-mock/client'
import {
  assignmentNote,
  createTrainingApp,
  createTrainingSync,
  defaultConfig,
  type Tally,
  type TrainingApp,
  type TrainingPath,
  type TrainingSyncConfig,
} from '../src/index.ts'

type MockState = ConnectorContext['mock']['app']['state']

const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** The harness's mock clock starts here. */
const START = Date.UTC(2026, 0, 15, 12)

const PATHS: TrainingPath[] = [
  { id: 'general', name: 'General onboarding', durationDays: 14 },
  { id: 'sales', name: 'Sales onboarding', durationDays: 21 },
  { id: 'advanced', name: 'Fast track', durationDays: 7 },
]

interface Hire {
  firstName: string
  email: string
  tags: string[]
  level?: string
  /** The path the mapping must choose. */
  path: string
}

/** Tagged before the install: only the backfill can find them. */
const EARLY: Hire[] = [
  { firstName: 'Ada', email: 'ada@hires.test', tags: ['new-hire'], path: 'general' },
  { firstName: 'Grace', email: 'grace@hires.test', tags: ['new-hire', 'dept-sales'], path: 'sales' },
  { firstName: 'Linus', email: 'linus@hires.test', tags: ['new-hire'], level: 'advanced', path: 'advanced' },
  { firstName: 'Barbara', email: 'barbara@hires.test', tags: ['new-hire', 'vip'], level: 'beginner', path: 'general' },
  { firstName: 'Ken', email: 'ken@hires.test', tags: ['new-hire', 'dept-sales'], level: 'advanced', path: 'sales' },
  { firstName: 'Edsger', email: 'edsger@hires.test', tags: ['new-hire'], path: 'general' },
]
/** Tagged after the install: the webhooks bring them in. */
const LATE: Hire[] = [
  { firstName: 'Margaret', email: 'margaret@hires.test', tags: ['new-hire'], path: 'general' },
  { firstName: 'Dennis', email: 'dennis@hires.test', tags: ['new-hire', 'dept-sales'], path: 'sales' },
  { firstName: 'Frances', email: 'frances@hires.test', tags: ['new-hire'], level: 'advanced', path: 'advanced' },
]
const NOT_A_HIRE = { firstName: 'Vendor', email: 'vendor@partners.test', tags: ['partner'] }

async function levelFieldId(state: MockState, locationId: string): Promise<string> {
  const location = await state.store.getLocation(locationId)
  const field = location?.customFields.find((f) => f.key === 'contact.training_level')
  if (!field) throw new Error('the seeded location has no training level field')
  return field.id
}

/** HR's side: contacts created in HighLevel by someone else (straight into the mock's store, no API budget used). */
async function hire(state: MockState, locationId: string, h: Hire): Promise<string> {
  const fieldId = await levelFieldId(state, locationId)
  const contact = await state.store.createContact(locationId, {
    firstName: h.firstName,
    lastName: 'Hire',
    email: h.email,
    tags: h.tags,
    ...(h.level && { customFields: [{ id: fieldId, value: h.level }] }),
  })
  return contact.id
}

const FINISHERS = ['ada@hires.test', 'margaret@hires.test']

/** What the last run left behind, for the final-state check. */
let world: { training: TrainingApp; locationId: string; levelField: string; retagged: string; vendor: string; night2: Tally }
/** The webhookIds the running connector handled (the harness's handled-once check). */
let handledIds: string[] = []
const handled = () => handledIds

/** The connector as an installation runs it: OAuth install, the client, the training app, the webhook receiver. */
async function startSync(ctx: ConnectorContext) {
  const state = ctx.mock.app.state
  // The install: the user consents (the harness plays the browser), the app's callback exchanges the code.
  const { code, redirectUri, ...app } = await authorize(ctx)
  const api = { baseUrl: ctx.baseUrl, now: ctx.now }
  const { tokens, locationId } = await exchangeAuthorizationCode({ ...api, ...app, redirectUri, code })
  if (!locationId) throw new Error('the install is not bound to a location')
  const ghl = createOAuthClient({ ...api, ...app, tokens, sleep: ctx.sleep, timeoutMs: 10_000 })
  // The key a deployment reads from WEBHOOK_SIGNATURE_PUBLIC_KEY: here the mock's.
  const { ed25519: publicKey } = (await (await fetch(`${ctx.baseUrl}/__mock/webhooks/public-key`)).json()) as { ed25519: string }
  const training = createTrainingApp({ paths: PATHS, now: ctx.now })
  const config: TrainingSyncConfig = {
    ...defaultConfig,
    locationId,
    rules: [
      { tag: 'dept-sales', path: 'sales' },
      { customFieldId: await levelFieldId(state, locationId), equals: 'advanced', path: 'advanced' },
    ],
    defaultPath: 'general',
    backfillPageLimit: 4,
  }
  handledIds = []
  const sync = createTrainingSync({ ghl, app: training, config, webhooks: { publicKey, now: ctx.now, onHandled: (id) => handledIds.push(id) } })
  ctx.webhooks.receive(sync.webhooks.node)
  return { state, locationId, training, sync }
}

/** Hires whose ContactCreate webhook went out with a bad signature: refused, so only the backfill finds them. */
const misSigned = (state: MockState) =>
  state.webhooks.deliveries({ type: 'ContactCreate', state: 'failed' }).filter((d) => d.fault?.includes('bad-signature')).length

/** The day; `beforeHires` plants a scenario's faults once the backfill is done. */
const oneDay = (beforeHires?: (state: MockState) => void) => async (ctx: ConnectorContext) => {
  const { state, locationId, training, sync } = await startSync(ctx)

  // Night 1: the hires tagged before the install (no webhook told of them), four per page.
  const night1 = await sync.backfill()
  expect(night1).toMatchObject({ pages: 2, assigned: EARLY.length })

  // An hour later HR tags three new hires and one existing contact; a partner is added too.
  await ctx.sleep(HOUR)
  beforeHires?.(state)
  for (const h of LATE) await hire(state, locationId, h)
  const existing = (await state.store.listContacts(locationId, { limit: 1 })).contacts[0]!
  await state.store.updateContact(existing.id, { tags: [...existing.tags, 'new-hire'] })
  const vendor = (await state.store.createContact(locationId, { ...NOT_A_HIRE, lastName: 'Partner' })).id
  // Every webhook lands: late ones, held-back ones, 429s retried (the clock moves, nobody sleeps).
  await ctx.webhooks.settle()
  const missed = misSigned(state)
  expect(sync.webhookTally().assigned).toBe(LATE.length + 1 - missed)
  expect(training.trainees()).toHaveLength(EARLY.length + LATE.length + 1 - missed)

  // An onboarded hire's name changes in HighLevel: the trainee follows, nothing else is written.
  await ctx.sleep(15 * MINUTE)
  const ada = training.trainees().find((t) => t.email === 'ada@hires.test')!
  await state.store.updateContact(ada.externalId, { lastName: 'Lovelace' })
  await ctx.webhooks.settle()
  expect(training.trainee(ada.externalId)?.name).toBe('Ada Lovelace')
  expect(sync.webhookTally().assigned).toBe(LATE.length + 1 - missed)

  // Night 2: the safety net onboards exactly what no webhook could deliver.
  const night2 = await sync.backfill()
  expect(night2).toMatchObject({ assigned: missed, 'profile-updated': EARLY.length + LATE.length + 1 - missed })

  // Trainees finish their paths in the training app; their tasks complete, once.
  const finishers = training
    .trainees()
    .filter((t) => FINISHERS.includes(t.email ?? ''))
    .map((t) => t.externalId)
  expect(finishers).toHaveLength(FINISHERS.length)
  for (const id of finishers) training.complete(id)
  expect((await sync.syncCompletions()).completed.sort()).toEqual(finishers.sort())
  expect((await sync.syncCompletions()).completed).toEqual([])

  world = { training, locationId, levelField: await levelFieldId(state, locationId), retagged: existing.id, vendor, night2 }
}

async function finalState(state: MockState) {
  const { training, locationId, levelField, retagged, vendor } = world
  const { contacts } = await state.store.searchContacts(locationId, {
    locationId,
    pageLimit: 100,
    filters: [{ field: 'tags', operator: 'eq', value: 'new-hire' }],
  })
  expect(contacts).toHaveLength(EARLY.length + LATE.length + 1)
  for (const c of contacts) {
    // The retagged contact is seeded data: its path follows from its seeded training level.
    const level = c.customFields?.find((f) => f.id === levelField)?.value
    const h = [...EARLY, ...LATE].find((x) => x.email === c.email)
    const path = training.path(h?.path ?? (level === 'advanced' ? 'advanced' : 'general'))
    expect(training.trainee(c.id)).toMatchObject({ pathId: path.id })
    expect(c.tags).toContain('training-assigned')
    const notes = (await state.store.listNotes(c.id)).filter((n) => n.body?.startsWith('Training path assigned'))
    expect(notes.map((n) => n.body)).toEqual([assignmentNote(path.name)])
    const tasks = (await state.store.listTasks(c.id)).filter((t) => t.title === 'Complete onboarding')
    expect(tasks).toHaveLength(1)
    expect(tasks[0]!.completed).toBe(FINISHERS.includes(c.email ?? ''))
  }
  expect(contacts.map((c) => c.id)).toContain(retagged)
  // Someone without the tag is left alone.
  expect(training.trainee(vendor)).toBeUndefined()
  expect(await state.store.listNotes(vendor)).toEqual([])
  // No 429 reached the mock, no request went out on a spent budget, no rejected token.
  const calls = state.journal.list().filter((e) => e.path.startsWith('/contacts'))
  expect(calls.filter((e) => e.status === 429 || e.status === 401)).toEqual([])
  expect(calls.filter((e) => e.rateRemaining !== undefined && e.rateRemaining <= 0)).toEqual([])
}

type FaultRule = Parameters<MockState['faults']['add']>[0]

/** Each scenario starts with the early hires in HighLevel, a minute before the install (setup's writes send no webhook to the connector). */
const withEarlyHires = (name: string, scenarios: string[], rules: FaultRule[] = []): HarnessScenario => ({
  name,
  options: { scenarios },
  setup: async (mock) => {
    const state = mock.app.state
    const locationId = state.defaultTokens[0]!.locationId!
    for (const h of EARLY) await hire(state, locationId, h)
    for (const rule of rules) state.faults.add(rule)
    state.clock.advance(MINUTE)
  },
})

/** The first new hire's ContactCreate arrives signed over other bytes: refused (401), and lost. */
const badSignature: FaultRule = { match: { event: 'ContactCreate' }, action: { badSignature: true }, times: 1 }
/** A task create fails every attempt: the receiver answers 429 and the platform delivers again 10 minutes later. */
const failingTask: FaultRule = { match: { operationId: 'create-task' }, action: { status: 503 }, times: 3 }

const tokenRefreshes = (state: MockState) => state.journal.list().filter((e) => e.path === '/oauth/token').length - 1 // minus the install

const scenarios: Array<{ scenario: HarnessScenario; saw: (state: MockState) => void; beforeHires?: (state: MockState) => void }> = [
  { scenario: withEarlyHires('clean', []), saw: (s) => expect(s.journal.list({ fault: '*' })).toEqual([]) },
  // 5 requests per 10 s: the client waits (in mock time) instead of collecting 429s.
  {
    scenario: withEarlyHires('rate-limited', ['rate-limited']),
    saw: (s) => {
      const calls = s.journal.list().filter((e) => e.path.startsWith('/contacts')).length
      const waited = s.clock.now() - START - MINUTE - HOUR - 15 * MINUTE
      expect(waited).toBeGreaterThan((calls / 5 - 3) * 10_000)
    },
  },
  {
    scenario: withEarlyHires('flaky', ['flaky']),
    saw: (s) => {
      const faulted = s.journal.list({ fault: '*' })
      expect(faulted.length).toBeGreaterThan(5)
      // Creates failed too, and were recovered without a second copy (the duplicate check).
      expect(faulted.filter((e) => e.operationId === 'create-note' || e.operationId === 'create-task').length).toBeGreaterThan(0)
    },
  },
  { scenario: withEarlyHires('slow', ['slow']), saw: (s) => expect(s.journal.list({ fault: 'latency=1500' }).length).toBeGreaterThan(30) },
  // The hour between the backfill and HR's changes outlives the 60 s tokens: refreshed before use.
  { scenario: withEarlyHires('token-expiry', ['token-expiry']), saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(2) },
  {
    scenario: withEarlyHires('rate-limited + token-expiry', ['rate-limited', 'token-expiry']),
    saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(3),
  },
  // Duplicated, reordered and late deliveries: each event handled once (the harness's check), nothing twice.
  {
    scenario: withEarlyHires('webhook-chaos', ['webhook-chaos']),
    saw: (s) => {
      const faults = s.webhooks.deliveries().map((d) => d.fault ?? '')
      for (const kind of ['duplicate', 'reorder', 'delay']) expect(faults.filter((f) => f.includes(kind)).length, kind).toBeGreaterThan(0)
      expect(world.night2.assigned).toBe(0)
    },
  },
  {
    scenario: withEarlyHires('webhook-chaos + bad signature + 429 retry', ['webhook-chaos'], [badSignature]),
    beforeHires: (state) => void state.faults.add(failingTask),
    saw: (s) => {
      // The mis-signed hire came in with the nightly backfill.
      expect(misSigned(s)).toBe(1)
      expect(world.night2.assigned).toBe(1)
      // The receiver answered 429 while the task create failed; the retry was handled.
      const retried = s.webhooks.deliveries().filter((d) => d.attempts.some((a) => a.status === 429))
      expect(retried.length).toBeGreaterThan(0)
      for (const d of retried) expect(d.state).toBe('delivered')
    },
  },
]

describe('training-sync under the harness', () => {
  it('a run that dies half-way is finished by the next one, without a second note or task', async () => {
    await expectConnectorToPass({
      connector: async (ctx) => {
        const { sync, training } = await startSync(ctx)
        // The API fails every attempt at the first task: the run stops after the first note.
        ctx.mock.app.state.faults.add({ match: { operationId: 'create-task' }, action: { status: 503 }, times: 3 })
        await expect(sync.backfill()).rejects.toMatchObject({ status: 503, operation: 'create-task' })
        expect(training.trainees()).toHaveLength(1)
        // The scheduler's next run.
        expect(await sync.backfill()).toMatchObject({ assigned: EARLY.length })
      },
      scenarios: [withEarlyHires('crash and rerun', [])],
      webhook: { handled: () => handled() },
      check: async (state) => {
        const locationId = state.defaultTokens[0]!.locationId!
        const { contacts } = await state.store.searchContacts(locationId, {
          locationId,
          pageLimit: 100,
          filters: [{ field: 'tags', operator: 'eq', value: 'training-assigned' }],
        })
        expect(contacts).toHaveLength(EARLY.length)
        for (const c of contacts) {
          expect(await state.store.listNotes(c.id)).toHaveLength(1)
          expect(await state.store.listTasks(c.id)).toHaveLength(1)
        }
      },
    })
  })

  for (const { scenario, saw, beforeHires } of scenarios) {
    it(`${scenario.name}: every new hire onboarded once, completions written back, no contract violation`, async () => {
      await expectConnectorToPass({
        connector: oneDay(beforeHires),
        scenarios: [scenario],
        webhook: { handled: () => handled() },
        check: async (state) => {
          await finalState(state)
          saw(state)
        },
        timeoutMs: 50_000,
      })
    })
  }
})
