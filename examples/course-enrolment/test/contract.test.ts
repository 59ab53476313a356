/**
 * The connector under every scenario of the kit's harness (a fresh mock per scenario,
 * strict mode on, the duplicate finder, the webhook checks), with OAuth tokens from a
 * real install flow and its triggers from the mock's signed webhooks: clean,
 * rate-limited (5 requests per 10 s), flaky (one request in five fails with 502/503),
 * slow (1.5 s answers), token-expiry (access tokens live 60 s), rate-limited with
 * token-expiry together, webhook-chaos (duplicated, reordered, late deliveries), and
 * webhook-chaos with a mis-signed ContactCreate and a failing task create (the receiver
 * answers 429; the platform delivers again). Waits pass in mock time.
 *
 * The run: contacts get tagged for courses and their webhooks enrol them; the
 * connector's own tag writes come back as webhooks and change nothing; learners progress
 * and finish; progress is written back, and replaying the whole progress feed changes
 * nothing either; the nightly backfill enrols exactly what no webhook could deliver.
 */
import { describe, expect, it } from 'vitest'
import { expectConnectorToPass, type ConnectorContext, type HarnessScenario } from 'ghl-contacts-mock/harness'
import { completionNote, enrolmentNote, progressNote, sessionTaskTitle, writeProgress, type CoursePlatform } from '../src/index.ts'
import { COURSES, handled, startEnrolment } from './start.ts'

type MockState = ConnectorContext['mock']['app']['state']

const MINUTE = 60_000

interface Learner {
  firstName: string
  email: string
  tags: string[]
  /** Lessons finished per course. */
  finishes: Record<string, number>
}

const LEARNERS: Learner[] = [
  { firstName: 'Ada', email: 'ada@learners.test', tags: ['course:safety-101'], finishes: { 'safety-101': 3 } },
  { firstName: 'Grace', email: 'grace@learners.test', tags: ['course:first-aid', 'vip'], finishes: { 'first-aid': 1 } },
  { firstName: 'Linus', email: 'linus@learners.test', tags: ['course:safety-101', 'course:first-aid'], finishes: { 'first-aid': 2, 'safety-101': 1 } },
  { firstName: 'Barbara', email: 'barbara@learners.test', tags: ['course:safety-101'], finishes: {} },
]
const BYSTANDER = { firstName: 'Ken', lastName: 'Bystander', email: 'ken@learners.test', tags: ['newsletter'] }
const enrolmentsOf = (l: Pick<Learner, 'tags'>) => l.tags.filter((t) => t.startsWith('course:')).length

let world: { platform: CoursePlatform; locationId: string; bystander: string; nightly: number }

type FaultRule = Parameters<MockState['faults']['add']>[0]

/** Learners whose ContactCreate webhook went out with a bad signature: refused, so only the backfill finds them. */
const misSigned = (state: MockState) => state.webhooks.deliveries({ type: 'ContactCreate', state: 'failed' }).filter((d) => d.fault?.includes('bad-signature'))

const enrolmentsOfMisSigned = (state: MockState) =>
  misSigned(state).reduce((n, d) => n + enrolmentsOf(LEARNERS.find((l) => l.email === d.payload.email) ?? { tags: [] }), 0)

/** The run; `beforeTagging` plants a scenario's faults once the connector is installed. */
const run = (beforeTagging?: (state: MockState) => void) => async (ctx: ConnectorContext) => {
  const state = ctx.mock.app.state
  const { ghl, locationId, platform, config, enrolment } = await startEnrolment(ctx)
  beforeTagging?.(state)

  // A minute after the install, marketing tags contacts for courses (outside the connector).
  await ctx.sleep(MINUTE)
  for (const l of LEARNERS) await state.store.createContact(locationId, { firstName: l.firstName, lastName: 'Learner', email: l.email, tags: l.tags })
  const bystander = (await state.store.createContact(locationId, BYSTANDER)).id
  // Every webhook lands: late ones, held-back ones, 429s retried (the clock moves, nobody sleeps).
  await ctx.webhooks.settle()
  const total = LEARNERS.reduce((n, l) => n + enrolmentsOf(l), 0)
  const missed = enrolmentsOfMisSigned(state)
  expect(enrolment.enrolledByWebhooks()).toBe(total - missed)

  // The connector's own tag writes came back as webhooks, and did nothing.
  await ctx.sleep(5 * MINUTE)
  await ctx.webhooks.settle()
  expect(enrolment.enrolledByWebhooks()).toBe(total - missed)

  // Learners work through their courses; progress comes back. (The nightly backfill runs first: the platform must know every learner.)
  await ctx.sleep(2 * 60 * MINUTE)
  const nightly = await enrolment.backfill()
  expect(nightly.enrolled).toBe(missed)
  for (const e of platform.enrolments()) {
    const l = LEARNERS.find((x) => x.email === e.email)!
    for (let i = 0; i < (l.finishes[e.courseId] ?? 0); i++) platform.finishLesson(e.externalId, e.courseId)
  }
  await enrolment.syncProgress()
  expect(enrolment.progressCursor()).toBe(platform.progressAfter(0).length)
  // Replaying the whole feed (a lost cursor) writes nothing new.
  await writeProgress({ ghl, platform, config }, 0)

  world = { platform, locationId, bystander, nightly: nightly.enrolled }
}

async function finalState(state: MockState) {
  const { platform, locationId, bystander } = world
  for (const l of LEARNERS) {
    const { contacts } = await state.store.searchContacts(locationId, {
      locationId,
      pageLimit: 10,
      filters: [{ field: 'email', operator: 'eq', value: l.email }],
    })
    expect(contacts).toHaveLength(1)
    const c = contacts[0]!
    const courses = COURSES.filter((x) => l.tags.includes(`course:${x.id}`))
    const expectedNotes = courses.flatMap((course) => {
      const done = l.finishes[course.id] ?? 0
      const progress = Array.from({ length: done }, (_, i) => progressNote(course.name, { lessonsDone: i + 1, lessons: course.lessons }))
      return [enrolmentNote(course.name), ...progress, ...(done === course.lessons ? [completionNote(course.name)] : [])]
    })
    expect((await state.store.listNotes(c.id)).map((n) => n.body).sort()).toEqual(expectedNotes.sort())
    const sessions = courses.flatMap((course) =>
      course.liveSession ? [sessionTaskTitle({ courseId: course.id, courseName: course.name, ...course.liveSession })] : [],
    )
    expect((await state.store.listTasks(c.id)).map((t) => t.title).sort()).toEqual(sessions.sort())
    expect(
      platform
        .enrolments()
        .filter((e) => e.externalId === c.id)
        .map((e) => e.courseId)
        .sort(),
    ).toEqual(courses.map((x) => x.id).sort())
    const completed = courses.filter((course) => (l.finishes[course.id] ?? 0) === course.lessons).map((course) => `completed:${course.id}`)
    expect(c.tags.filter((t) => t.startsWith('completed:')).sort()).toEqual(completed.sort())
    expect(c.tags.includes('course-completed')).toBe(completed.length > 0)
    expect(c.tags).toContain('course-enrolled')
  }
  // Not tagged for a course: left alone.
  expect(platform.enrolments().filter((e) => e.externalId === bystander)).toEqual([])
  expect(await state.store.listNotes(bystander)).toEqual([])
  // No 429 reached the mock, no request went out on a spent budget, no rejected token.
  const calls = state.journal.list().filter((e) => e.path.startsWith('/contacts'))
  expect(calls.filter((e) => e.status === 429 || e.status === 401)).toEqual([])
  expect(calls.filter((e) => e.rateRemaining !== undefined && e.rateRemaining <= 0)).toEqual([])
}

const tokenRefreshes = (state: MockState) => state.journal.list().filter((e) => e.path === '/oauth/token').length - 1 // minus the install
const scenario = (name: string, scenarios: string[], rules: FaultRule[] = []): HarnessScenario => ({
  name,
  options: { scenarios },
  setup: (mock) => {
    for (const rule of rules) mock.app.state.faults.add(rule)
  },
})

/** The first ContactCreate arrives signed over other bytes: refused (401), and lost. */
const badSignature: FaultRule = { match: { event: 'ContactCreate' }, action: { badSignature: true }, times: 1 }
/** A task create fails every attempt: the receiver answers 429 and the platform delivers again 10 minutes later. */
const failingTask: FaultRule = { match: { operationId: 'create-task' }, action: { status: 503 }, times: 3 }

/** Deliveries the receiver answered 429 first, and which were then delivered. */
function expectRetriedAndDelivered(s: MockState) {
  const retried = s.webhooks.deliveries().filter((d) => d.attempts.some((a) => a.status === 429))
  expect(retried.length).toBeGreaterThan(0)
  for (const d of retried) expect(d.state).toBe('delivered')
}

const scenarios: Array<{ scenario: HarnessScenario; saw: (state: MockState) => void; beforeTagging?: (state: MockState) => void }> = [
  { scenario: scenario('clean', []), saw: (s) => expect(s.journal.list({ fault: '*' })).toEqual([]) },
  {
    // 5 requests per 10 s: the client waits (in mock time) instead of collecting 429s.
    scenario: scenario('rate-limited', ['rate-limited']),
    saw: (s) => {
      const calls = s.journal.list().filter((e) => e.path.startsWith('/contacts')).length
      const waited = s.clock.now() - Date.UTC(2026, 0, 15, 12) - 126 * MINUTE
      expect(waited).toBeGreaterThan((calls / 5 - 4) * 10_000)
    },
  },
  {
    scenario: scenario('flaky', ['flaky']),
    saw: (s) => {
      const faulted = s.journal.list({ fault: '*' })
      expect(faulted.length).toBeGreaterThan(5)
      // Creates failed too, and were recovered without a second copy (the duplicate check).
      expect(faulted.filter((e) => e.operationId === 'create-note' || e.operationId === 'create-task').length).toBeGreaterThan(0)
    },
  },
  { scenario: scenario('slow', ['slow']), saw: (s) => expect(s.journal.list({ fault: 'latency=1500' }).length).toBeGreaterThan(30) },
  // The minute before the tagging and the hours before the backfill outlive the 60 s tokens: refreshed before use.
  { scenario: scenario('token-expiry', ['token-expiry']), saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(2) },
  { scenario: scenario('rate-limited + token-expiry', ['rate-limited', 'token-expiry']), saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(3) },
  // Duplicated, reordered and late deliveries: each event handled once (the harness's check), nothing twice.
  {
    scenario: scenario('webhook-chaos', ['webhook-chaos']),
    saw: (s) => {
      const faults = s.webhooks.deliveries().map((d) => d.fault ?? '')
      for (const kind of ['duplicate', 'reorder', 'delay']) expect(faults.filter((f) => f.includes(kind)).length, kind).toBeGreaterThan(0)
      expect(world.nightly).toBe(0)
    },
  },
  {
    scenario: scenario('webhook-chaos + bad signature + 429 retry', ['webhook-chaos'], [badSignature]),
    beforeTagging: (state) => void state.faults.add(failingTask),
    saw: (s) => {
      // The mis-signed learner came in with the nightly backfill.
      expect(misSigned(s)).toHaveLength(1)
      expect(world.nightly).toBe(enrolmentsOfMisSigned(s))
      expectRetriedAndDelivered(s)
    },
  },
]

describe('course-enrolment under the harness', () => {
  it('a webhook whose handling fails is answered 429 and handled on the retry: nothing lost, no second note or task', async () => {
    await expectConnectorToPass({
      connector: async (ctx) => {
        const state = ctx.mock.app.state
        const { locationId, enrolment, platform } = await startEnrolment(ctx)
        await ctx.sleep(MINUTE)
        // Every attempt at the first session task fails: that learner's webhook stops after the enrolment note.
        state.faults.add(failingTask)
        for (const l of LEARNERS) await state.store.createContact(locationId, { firstName: l.firstName, lastName: 'Learner', email: l.email, tags: l.tags })
        await ctx.webhooks.flush()
        expect(platform.enrolments().length).toBeGreaterThan(0)
        expect(enrolment.enrolledByWebhooks()).toBeLessThan(LEARNERS.reduce((n, l) => n + enrolmentsOf(l), 0))
        // Ten minutes later (mock time) the platform delivers it again, and it is finished.
        await ctx.webhooks.settle()
        expect(enrolment.enrolledByWebhooks()).toBe(LEARNERS.reduce((n, l) => n + enrolmentsOf(l), 0))
      },
      scenarios: ['clean'],
      webhook: { handled },
      check: async (state) => {
        expectRetriedAndDelivered(state)
        const locationId = state.defaultTokens[0]!.locationId!
        const { contacts } = await state.store.searchContacts(locationId, {
          locationId,
          pageLimit: 100,
          filters: [{ field: 'tags', operator: 'eq', value: 'course-enrolled' }],
        })
        expect(contacts).toHaveLength(LEARNERS.length)
        for (const c of contacts) {
          const l = LEARNERS.find((x) => x.email === c.email)!
          expect(await state.store.listNotes(c.id)).toHaveLength(enrolmentsOf(l))
          expect(await state.store.listTasks(c.id)).toHaveLength(l.tags.includes('course:safety-101') ? 1 : 0)
        }
      },
    })
  })

  for (const { scenario, saw, beforeTagging } of scenarios) {
    it(`${scenario.name}: tagged contacts enrolled once, progress and completion written back, no contract violation`, async () => {
      await expectConnectorToPass({
        connector: run(beforeTagging),
        scenarios: [scenario],
        webhook: { handled },
        check: async (state) => {
          await finalState(state)
          saw(state)
        },
        timeoutMs: 50_000,
      })
    })
  }
})
