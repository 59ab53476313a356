/**
 * The course platform's integration page books the live session with
 * `POST /contacts/{id}/appointments`. That endpoint does not exist: strict mode flags
 * the call (and the API's 404 breaks the run). The connector's own scheduler uses what
 * the Contacts API has: it reads the contact's appointments and adds a task, here
 * triggered by the contact's webhook.
 */
import { describe, expect, it } from 'vitest'
import { expectConnectorToPass, runConnectorHarness, type ConnectorContext } from 'ghl-contacts-mock/harness'
import type { GhlClient } from 'ghl-contacts-mock/client'
import type { SessionScheduler } from '../src/index.ts'
import { COURSES, handled, startEnrolment } from './start.ts'

/** What the integration page says to do. Not in the spec, so not in the typed client: a raw request. */
function documentedBooking(baseUrl: string) {
  return (ghl: GhlClient): SessionScheduler => ({
    async schedule(contactId, session) {
      const res = await fetch(`${baseUrl}/contacts/${contactId}/appointments`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ghl.tokens()?.accessToken}`, Version: '2021-07-28', 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: session.title, startTime: session.startsAt }),
      })
      if (!res.ok) throw new Error(`booking the session answered ${res.status}`)
      return 'task-created'
    },
  })
}

/** Marketing tags one contact for Safety 101 (it has a live session). */
async function tagOne(ctx: ConnectorContext) {
  await ctx.sleep(1_000)
  await ctx.mock.app.state.store.createContact(ctx.locationId, { firstName: 'Ada', email: 'ada@learners.test', tags: ['course:safety-101'] })
}

describe('the live session', () => {
  it('strict mode flags the documented POST /contacts/{id}/appointments; the real API answers 404', async () => {
    // Run from the nightly backfill, so the 404 reaches the connector (from a webhook it would become a 429 and a retry).
    const connector = async (ctx: ConnectorContext) => {
      const { enrolment } = await startEnrolment(ctx, { sessions: documentedBooking(ctx.baseUrl), webhooks: false })
      await tagOne(ctx)
      await enrolment.backfill()
    }
    const report = await runConnectorHarness({ connector, scenarios: ['clean'] })
    const failed = report.results.filter((r) => !r.ok)
    expect(failed.map((r) => r.name)).toEqual(['connector finished', 'no contract violation (strict mode)'])
    expect(failed[0]!.details?.[0]).toMatch(/booking the session answered 404/)
    expect(failed[1]!.details).toHaveLength(1)
    expect(failed[1]!.details?.[0]).toMatch(/^unknown-endpoint: POST \/contacts\/[A-Za-z0-9]{20}\/appointments → 404/)
  })

  it('with the API that exists: a task due at the session, no violation', async () => {
    await expectConnectorToPass({
      connector: async (ctx) => {
        const { enrolment } = await startEnrolment(ctx)
        await tagOne(ctx)
        await ctx.webhooks.settle()
        expect(enrolment.enrolledByWebhooks()).toBe(1)
      },
      scenarios: ['clean'],
      webhook: { handled },
      check: async (state) => {
        const locationId = state.defaultTokens[0]!.locationId!
        const [ada] = (
          await state.store.searchContacts(locationId, { locationId, pageLimit: 1, filters: [{ field: 'email', operator: 'eq', value: 'ada@learners.test' }] })
        ).contacts
        const tasks = await state.store.listTasks(ada!.id)
        expect(tasks.map((t) => [t.title, t.dueDate])).toEqual([['Live session: Safety 101: Safety 101 live Q&A', COURSES[0]!.liveSession!.startsAt]])
      },
    })
  })

  it('a session already booked in the calendar gets no task', async () => {
    await expectConnectorToPass({
      connector: async (ctx) => {
        const state = ctx.mock.app.state
        const locationId = state.defaultTokens[0]!.locationId!
        // A seeded contact with an appointment in the calendar: the course's session is that appointment.
        let booked: { contactId: string; title: string; startTime: string } | undefined
        for (const c of (await state.store.listContacts(locationId, { limit: 500 })).contacts) {
          const a = (await state.store.listAppointments(c.id)).find((x) => x.title && x.startTime)
          if (a) booked = { contactId: c.id, title: a.title!, startTime: a.startTime! }
          if (booked) break
        }
        if (!booked) throw new Error('no seeded contact has an appointment')
        const course = { id: 'onboarding', name: 'Onboarding', lessons: 1, liveSession: { title: booked.title, startsAt: booked.startTime } }
        const { enrolment } = await startEnrolment(ctx, { courses: [course] })
        await ctx.sleep(1_000)
        const before = await state.store.listTasks(booked.contactId)
        const contact = (await state.store.getContact(booked.contactId))!
        await state.store.updateContact(booked.contactId, { tags: [...contact.tags, 'course:onboarding'] })
        await ctx.webhooks.settle()
        expect(enrolment.enrolledByWebhooks()).toBe(1)
        expect(await state.store.listTasks(booked.contactId)).toEqual(before)
      },
      scenarios: ['clean'],
      webhook: { handled },
    })
  })
})
