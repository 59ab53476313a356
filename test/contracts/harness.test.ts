/**
 * The connector harness passes a correct connector and fails each planted break: an
 * endpoint that doesn't exist, an unknown field, hammering through 429s, a retried create.
 */
import { describe, expect, it } from 'vitest'
import { findDuplicates, runConnectorHarness, type ConnectorContext } from '../../contracts/harness.ts'
import { makeMock } from '../support/mock.ts'
import { failures, formatText } from '../../contracts/report.ts'
import { expectConnectorToPass } from '../../contracts/vitest.ts'

/** A tiny "training platform" sync: push three trainees (upsert), tag them, add a note each. */
function trainees(ctx: ConnectorContext) {
  const headers = { Authorization: `Bearer ${ctx.token}`, Version: ctx.version, 'Content-Type': 'application/json' }
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${ctx.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const people = ['ada', 'grace', 'linus'].map((n) => ({ firstName: n, email: `${n}@training.test` }))
  return { call, people }
}

const good = async (ctx: ConnectorContext) => {
  const { call, people } = trainees(ctx)
  for (const p of people) {
    const res = await call('POST', '/contacts/upsert', { locationId: ctx.locationId, ...p, tags: ['trainee'] })
    if (!res.ok) throw new Error(`upsert ${res.status}`)
    const { contact } = await res.json()
    const note = await call('POST', `/contacts/${contact.id}/notes`, { body: `Enrolled ${p.firstName}` })
    if (!note.ok) throw new Error(`note ${note.status}`)
  }
}

const check = async (state: import('../../mock/state.ts').MockState, ctx: ConnectorContext) => {
  const { contacts } = await state.store.searchContacts(ctx.locationId, {
    locationId: ctx.locationId,
    pageLimit: 100,
    filters: [{ field: 'email', operator: 'contains', value: '@training.test' }],
  })
  if (contacts.length !== 3) throw new Error(`expected 3 trainees, found ${contacts.length}`)
}

describe('connector harness', () => {
  it('the vitest helper passes a correct connector and throws the report for a broken one', async () => {
    await expectConnectorToPass({ connector: good, scenarios: ['clean', 'slow'], check })
    // This connector does not retry, so the flaky scenario catches it.
    await expect(expectConnectorToPass({ connector: good, scenarios: ['flaky'], check })).rejects.toThrow(/connector finished/)
    await expect(
      expectConnectorToPass({ connector: async (ctx) => void (await trainees(ctx).call('GET', '/contacts/nope/x/y')), scenarios: ['clean'] }),
    ).rejects.toThrow(/unknown-endpoint/)
  })

  it('passes a correct connector on a clean mock', async () => {
    const report = await runConnectorHarness({ connector: good, scenarios: ['clean'], check })
    expect(failures(report), formatText(report)).toEqual([])
    expect(report.results.map((r) => r.name)).toEqual([
      'connector finished',
      'no contract violation (strict mode)',
      'no duplicate records',
      'final state check',
    ])
  })

  it('fails a connector that calls an endpoint that does not exist', async () => {
    const report = await runConnectorHarness({
      connector: async (ctx) => {
        await good(ctx)
        const { call } = trainees(ctx)
        await call('POST', `/contacts/whatever/appointments`, { title: 'Session 1' })
      },
      scenarios: ['clean'],
    })
    expect(failures(report).map((r) => r.name)).toEqual(['no contract violation (strict mode)'])
    expect(failures(report)[0].details?.[0]).toMatch(/^unknown-endpoint/)
  })

  it('fails a connector that sends an unknown field', async () => {
    const report = await runConnectorHarness({
      connector: async (ctx) => {
        const { call } = trainees(ctx)
        await call('POST', '/contacts/upsert', { locationId: ctx.locationId, email: 'x@training.test', cohort: '2026-A' })
      },
      scenarios: ['clean'],
    })
    expect(failures(report)[0].details?.join('\n')).toMatch(/invalid-request.*property cohort should not exist/)
  })

  it('fails a connector that retries a create, and finds the duplicate it made', async () => {
    const report = await runConnectorHarness({
      connector: async (ctx) => {
        const { call } = trainees(ctx)
        const res = await call('POST', '/contacts/', { locationId: ctx.locationId, firstName: 'Ada', email: 'ada@training.test' })
        const { contact } = await res.json()
        // "timeout": the connector retries a non-idempotent create
        await call('POST', `/contacts/${contact.id}/notes`, { body: 'Enrolled' })
        await call('POST', `/contacts/${contact.id}/notes`, { body: 'Enrolled' })
      },
      scenarios: ['clean'],
    })
    const failed = failures(report).map((r) => r.name)
    expect(failed).toEqual(['no contract violation (strict mode)', 'no duplicate records'])
    expect(formatText(report)).toMatch(/duplicate-create/)
    expect(formatText(report)).toMatch(/has the note "Enrolled" twice/)
  })

  it('fails a connector that hammers through 429s, and passes one that waits out the window', async () => {
    const hammer = async (ctx: ConnectorContext) => {
      const { call } = trainees(ctx)
      for (let i = 0; i < 12; i++) await call('GET', `/contacts/?locationId=${ctx.locationId}&limit=1`)
    }
    const patient = async (ctx: ConnectorContext) => {
      const { call } = trainees(ctx)
      for (let i = 0; i < 12; i++) {
        const res = await call('GET', `/contacts/?locationId=${ctx.locationId}&limit=1`)
        if (res.headers.get('x-ratelimit-remaining') === '0') await ctx.sleep(Number(res.headers.get('x-ratelimit-interval-milliseconds')))
      }
    }
    const bad = await runConnectorHarness({ connector: hammer, scenarios: ['rate-limited'] })
    expect(failures(bad).map((r) => r.name)).toEqual(['no contract violation (strict mode)'])
    expect(failures(bad)[0].details?.every((d) => d.startsWith('rate-limit-ignored'))).toBe(true)
    const good = await runConnectorHarness({ connector: patient, scenarios: ['rate-limited'] })
    expect(failures(good), formatText(good)).toEqual([])
  })

  it('reports a connector that throws or never finishes', async () => {
    const report = await runConnectorHarness({
      connector: () => new Promise(() => {}),
      scenarios: ['clean'],
      timeoutMs: 200,
    })
    expect(failures(report)[0]).toMatchObject({ name: 'connector finished', ok: false })
    expect(failures(report)[0].details?.[0]).toMatch(/did not finish within 200 ms/)
  })
})

describe('findDuplicates', () => {
  it('matches emails and phones by the store normalisation: surrounding spaces and case make no new identity', async () => {
    const m = await makeMock({ contacts: 0 })
    const since = m.state.clock.now()
    await m.state.store.createContact(m.location.id, { email: 'Ada@Example.com', phone: '+1 555 0100' })
    await m.state.store.createContact(m.location.id, { email: ' ada@example.com ' })
    expect(await findDuplicates(m.state, since)).toEqual([expect.stringMatching(/^contacts \S+ and \S+ share email ada@example\.com$/)])
  })
})
