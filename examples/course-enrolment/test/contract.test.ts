/**
 * The connector under every scenario of the kit's harness (a fresh mock per scenario,
 * strict mode on, the duplicate finder), with OAuth tokens from a real install flow:
 * clean, rate-limited (5 requests per 10 s), flaky (one request in five fails with
 * 502/503), slow (1.5 s answers), token-expiry (access tokens live 60 s), and
 * rate-limited with token-expiry together. Waits pass in mock time.
 *
 * The run: contacts get tagged for courses and the poll enrols them; polling again
 * changes nothing; learners progress and finish; progress is written back, and replaying
 * the whole progress feed changes nothing either.
 */
import { describe, expect, it } from 'vitest'
import { expectConnectorToPass, type ConnectorContext, type HarnessScenario } from 'ghl-contacts-mock/harness'
import { completionNote, enrolmentNote, progressNote, sessionTaskTitle, writeProgress, type CoursePlatform } from '../src/index.ts'
import { COURSES, startEnrolment } from './start.ts'

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
const enrolmentsOf = (l: Learner) => l.tags.filter((t) => t.startsWith('course:')).length

let world: { platform: CoursePlatform; locationId: string; bystander: string }

async function connector(ctx: ConnectorContext) {
  const state = ctx.mock.app.state
  const { ghl, locationId, platform, config, enrolment } = await startEnrolment(ctx)

  // A minute after the install, marketing tags contacts for courses (outside the connector).
  await ctx.sleep(MINUTE)
  for (const l of LEARNERS) await state.store.createContact(locationId, { firstName: l.firstName, lastName: 'Learner', email: l.email, tags: l.tags })
  const bystander = (await state.store.createContact(locationId, BYSTANDER)).id
  expect(await enrolment.poll()).toBe(LEARNERS.reduce((n, l) => n + enrolmentsOf(l), 0))

  // The next poll sees the connector's own tag writes, and does nothing with them.
  await ctx.sleep(5 * MINUTE)
  expect(await enrolment.poll()).toBe(0)

  // Learners work through their courses; progress comes back.
  await ctx.sleep(2 * 60 * MINUTE)
  for (const e of platform.enrolments()) {
    const l = LEARNERS.find((x) => x.email === e.email)!
    for (let i = 0; i < (l.finishes[e.courseId] ?? 0); i++) platform.finishLesson(e.externalId, e.courseId)
  }
  await enrolment.syncProgress()
  expect(enrolment.progressCursor()).toBe(platform.progressAfter(0).length)
  // Replaying the whole feed (a lost cursor) writes nothing new.
  await writeProgress({ ghl, platform, config }, 0)

  world = { platform, locationId, bystander }
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
const scenario = (name: string, scenarios: string[]): HarnessScenario => ({ name, options: { scenarios } })

const scenarios: Array<{ scenario: HarnessScenario; saw: (state: MockState) => void }> = [
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
  // Hours pass between enrolment and progress: the 60 s tokens are refreshed before use.
  { scenario: scenario('token-expiry', ['token-expiry']), saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(3) },
  { scenario: scenario('rate-limited + token-expiry', ['rate-limited', 'token-expiry']), saw: (s) => expect(tokenRefreshes(s)).toBeGreaterThanOrEqual(3) },
]

describe('course-enrolment under the harness', () => {
  it('a poll that dies half-way is finished by the next one: no trigger lost, no second note or task', async () => {
    await expectConnectorToPass({
      connector: async (ctx) => {
        const state = ctx.mock.app.state
        const { locationId, enrolment, platform } = await startEnrolment(ctx)
        await ctx.sleep(MINUTE)
        for (const l of LEARNERS) await state.store.createContact(locationId, { firstName: l.firstName, lastName: 'Learner', email: l.email, tags: l.tags })
        // Every attempt at the first session task fails: the poll stops after the first enrolment note.
        state.faults.add({ match: { operationId: 'create-task' }, action: { status: 503 }, times: 3 })
        await expect(enrolment.poll()).rejects.toMatchObject({ status: 503, operation: 'create-task' })
        expect(platform.enrolments()).toHaveLength(1)
        // The next poll sees the same changes again (the cursor did not move) and finishes them.
        expect(await enrolment.poll()).toBe(LEARNERS.reduce((n, l) => n + enrolmentsOf(l), 0))
      },
      scenarios: ['clean'],
      check: async (state) => {
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

  for (const { scenario, saw } of scenarios) {
    it(`${scenario.name}: tagged contacts enrolled once, progress and completion written back, no contract violation`, async () => {
      await expectConnectorToPass({
        connector,
        scenarios: [scenario],
        check: async (state) => {
          await finalState(state)
          saw(state)
        },
        timeoutMs: 50_000,
      })
    })
  }
})
