/**
 * Pacing against the mock's rate limits, in mock time: a tight budget, many concurrent
 * calls, not one 429, and the journal shows no request arrived while the budget was
 * spent. Then a budget shared with another consumer (429 → wait → retry), and the daily
 * quota.
 */
import { describe, expect, it } from 'vitest'
import { GhlError } from '../../client/index.ts'
import { mockClient } from './mock-client.ts'

const contactsOf = async (t: Awaited<ReturnType<typeof mockClient>>, n: number) =>
  (await t.m.state.store.listContacts(t.m.location.id, { limit: n })).contacts.map((c) => c.id)

describe('pacing under a tight rate limit', () => {
  it('a batch of 150 concurrent calls on a 10-per-second budget: no 429 sent, none seen', async () => {
    const t = await mockClient({ mock: { rateLimit: { burst: 10, windowMs: 1_000, daily: 200_000 }, strict: true } })
    const ghl = t.client({ pacing: { maxConcurrency: 6 } })
    const ids = await contactsOf(t, 50)
    const start = t.m.state.clock.now()
    const calls = ids.flatMap((id) => [
      () => ghl.contacts.get(id),
      () => ghl.tags.add(id, { tags: ['paced'] }),
      () => ghl.contacts.update(id, { city: 'Paced' }),
    ])
    const results = await Promise.allSettled(calls.map((call) => call()))
    expect(results.filter((r) => r.status === 'rejected')).toEqual([])

    const journal = t.m.state.journal.list().filter((e) => e.operationId !== null && e.path.startsWith('/contacts'))
    expect(journal).toHaveLength(150)
    expect(journal.filter((e) => e.status === 429)).toEqual([])
    expect(journal.every((e) => e.rateRemaining !== undefined && e.rateRemaining > 0)).toBe(true)
    expect(t.m.state.strict.violations.list()).toEqual([])
    // 150 requests at 10 per window: at least 14 windows waited out, in mock time, not real time.
    expect(t.m.state.clock.now() - start).toBeGreaterThanOrEqual(14 * 1_000)
    expect(t.events.filter((e) => e.type === 'wait').length).toBeGreaterThanOrEqual(14)
    expect(ghl.rateLimit()).toMatchObject({ max: 10, intervalMs: 1_000, inFlight: 0, queued: 0 })
  })
})

describe('when the budget is shared with someone else', () => {
  it('a 429 is waited out (Retry-After) and retried; the caller never sees it', async () => {
    const t = await mockClient({ mock: { rateLimit: { burst: 5, windowMs: 10_000, daily: 200_000 }, retryAfter: true } })
    const ids = await contactsOf(t, 3)
    // Another process with the same token spends the whole window first.
    for (let i = 0; i < 5; i++) expect((await t.m.app.request(`/contacts/${ids[0]}`, { headers: t.m.auth() })).status).toBe(200)
    const before = t.m.state.clock.now()
    const out = await t.ghl.contacts.get(ids[1])
    expect(out.contact.id).toBe(ids[1])
    const limited = t.m.state.journal.list({ status: 429 })
    expect(limited).toHaveLength(1)
    expect(t.m.state.clock.now() - before).toBeGreaterThanOrEqual(10_000)
    expect(t.events.find((e) => e.type === 'retry')).toMatchObject({ operation: 'get-contact', error: { kind: 'rate-limit', status: 429 } })
  })

  it('without Retry-After it waits for the window length', async () => {
    const t = await mockClient({ mock: { rateLimit: { burst: 3, windowMs: 4_000, daily: 200_000 } } })
    const ids = await contactsOf(t, 2)
    for (let i = 0; i < 3; i++) await t.m.app.request(`/contacts/${ids[0]}`, { headers: t.m.auth() })
    await t.ghl.contacts.get(ids[1])
    expect(t.m.state.journal.list({ status: 429 })).toHaveLength(1)
    expect(t.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4_000)
  })
})

describe('daily quota', () => {
  it('is a quota error, never retried; later calls fail without sending until the next UTC day', async () => {
    const t = await mockClient({ mock: { rateLimit: { burst: 100, windowMs: 10_000, daily: 5 } } })
    const ids = await contactsOf(t, 8)
    for (const id of ids.slice(0, 5)) await t.ghl.contacts.get(id)
    const err = await t.ghl.contacts.get(ids[5]).catch((e) => e)
    expect(err).toBeInstanceOf(GhlError)
    expect(err).toMatchObject({ kind: 'quota', operation: 'get-contact', attempts: 0 })
    expect(t.m.state.journal.list({ operationId: 'get-contact' })).toHaveLength(5) // the 6th was never sent

    // Another client that has not seen the headers yet learns it from the 429.
    const fresh = t.client()
    await expect(fresh.contacts.get(ids[6])).rejects.toMatchObject({ kind: 'quota', status: 429, attempts: 1 })
    expect(t.m.state.journal.list({ status: 429 })).toHaveLength(1)

    t.m.state.clock.advance(24 * 3_600_000) // tomorrow
    expect((await t.ghl.contacts.get(ids[7])).contact.id).toBe(ids[7])
  })
})
