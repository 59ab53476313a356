/**
 * Fuzz: hostile requests for every control API operation (/__mock/*), in process. Fault
 * rules a request installs are removed right after it (the fuzz must not inject faults
 * into itself), the clock is put back, and strict mode switched off. Invariants: no 5xx,
 * GHL error shape, no pollution, the mock healthy afterwards and still answering the API.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createMockApp, type MockApp } from '../../mock/app.ts'
import { T0, VERSION } from '../support/mock.ts'
import { FUZZ_SEED, announce, expectGhlError, expectNoPollution, prototypeKeys, requestsFor, runs, type Pools } from './support.ts'

/** Statuses the guard and pipeline send on any control call. */
const PIPELINE = new Set([400, 401, 403, 404, 413, 415, 422])

const N = runs(500, 0.2)
/** The default budget covers the default run; FUZZ_RUNS runs get time in proportion. */
const TIMEOUT = 60_000 + N * 20

let app: MockApp
let pools: Pools

beforeAll(async () => {
  app = await createMockApp({
    seed: 'fuzz',
    locations: 2,
    contacts: 5,
    faultHeaders: false,
    clock: createClock({ start: T0, frozen: true }),
    sleep: async () => {},
  })
  const [a, b] = await app.state.store.listLocations()
  const tokens = app.state.defaultTokens.map((t) => t.token)
  const ids = [a.id, b.id, a.companyId, app.state.apps.defaultApp.clientId, '*', ...tokens, 'rule-1', 'nope']
  pools = {
    ids: fc.constantFrom(...ids),
    own: fc.constantFrom(...ids),
    byName: { locationId: fc.constantFrom(a.id, b.id), token: fc.constantFrom(...tokens), clientId: fc.constant(app.state.apps.defaultApp.clientId) },
    // A valid reset reseeds synchronously: keep valid sizes small (out-of-range ones are still generated).
    bounded: { locations: fc.integer({ min: 1, max: 3 }), contacts: fc.integer({ min: 0, max: 20 }) },
  }
})

describe('fuzz: control API operations (in process)', () => {
  it(
    'no 5xx, GHL error shape, no pollution, healthy afterwards',
    async () => {
      const ops = app.state.spec.operations.filter((op) => op.api === 'control')
      const before = prototypeKeys()
      const errors = vi.spyOn(console, 'error')
      const n = N
      announce('control API', n)
      const statuses = new Map<number, number>()
      await fc.assert(
        fc.asyncProperty(
          requestsFor(app.state.spec, ops, pools, fc.constant(undefined)),
          fc.constantFrom<Record<string, string>>({}, {}, {}, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { host: 'evil.example' }),
          async ({ operationId, req }, extra) => {
            const op = app.state.spec.byId.get(operationId)!
            const res = await app.request(req.path, { method: req.method, headers: { ...req.headers, ...extra }, body: req.body })
            // The live journal (an event stream) never ends by itself: its status and headers are the answer.
            const endless = res.ok && res.headers.get('content-type')?.includes('text/event-stream')
            if (endless) await res.body?.cancel()
            const text = endless ? '' : await res.text()
            app.state.faults.clear()
            app.state.strict.enabled = false
            app.state.clock.set(T0)
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
            const where = `${req.method} ${req.path} (${operationId})`
            if (res.status >= 500) throw new Error(`${where}: ${res.status} ${text.slice(0, 300)}`)
            if (res.status >= 400 && req.method !== 'HEAD') expectGhlError(res.status, text, where)
            if (req.method === op.method.toUpperCase() && res.status >= 300 && !op.responses[String(res.status)] && !PIPELINE.has(res.status)) {
              throw new Error(`${where}: ${res.status} is not documented for ${operationId}: ${text.slice(0, 200)}`)
            }
            if (extra.host && res.status !== 403) throw new Error(`${where}: Host evil.example answered ${res.status}`)
          },
        ),
        { seed: FUZZ_SEED, numRuns: n },
      )
      console.log(`[fuzz] control statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`)
      expectNoPollution(before)
      expect(errors.mock.calls.filter((call) => String(call[0]).includes('crashed'))).toEqual([])
      errors.mockRestore()
      expect((await app.request('/__mock/health')).status).toBe(200)
      await app.request('/__mock/reset', { method: 'POST' })
      const token = app.state.defaultTokens[0]
      const list = await app.request(`/contacts/?locationId=${token.locationId}&limit=1`, {
        headers: { Authorization: `Bearer ${token.token}`, Version: VERSION },
      })
      expect(list.status).toBe(200)
    },
    TIMEOUT,
  )
})
