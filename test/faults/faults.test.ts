/**
 * Faults as a real client sees them, over a real socket with fetch: injected statuses,
 * latency (through an injected sleep: no waiting), dropped connections, hangs, truncated
 * JSON; rules (next N, after N, seeded probability); scenarios.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer, type ServerOptions } from '../../mock/server.ts'
import { T0 } from '../support/mock.ts'

let server: MockServer
const dir = mkdtempSync(join(tmpdir(), 'ghl-mock-scenarios-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let slept: number[]
let headers: Record<string, string>
let contactId: string

async function boot(options: ServerOptions = {}) {
  slept = []
  server = await startMockServer({ port: 0, clock: createClock({ start: T0, frozen: true }), sleep: async (ms) => void slept.push(ms), ...options })
  const t = server.app.state.defaultTokens[0]
  headers = { Authorization: `Bearer ${t.token}`, Version: '2021-07-28' }
  contactId = (await server.app.state.store.listContacts(t.locationId!, { limit: 1 })).contacts[0].id
}
const get = (extra: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${server.url}/contacts/${contactId}`, { headers: { ...headers, ...extra }, ...init })
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/__mock/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

beforeEach(() => boot())
afterEach(() => server.close())

describe('X-Mock-Fault header', () => {
  it('status=503 answers in the GHL shape and is journaled with its cause', async () => {
    const res = await get({ 'X-Mock-Fault': 'status=503' })
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ statusCode: 503, message: 'Service Unavailable', error: 'Service Unavailable' })
    const journal = await (await control('GET', 'requests?fault=status=503')).json()
    expect(journal.requests).toEqual([expect.objectContaining({ status: 503, operationId: 'get-contact', fault: 'header status=503' })])
  })

  it('latency waits through the injected sleep, then answers normally; combinable', async () => {
    const res = await get({ 'X-Mock-Fault': 'latency=1500' })
    expect(res.status).toBe(200)
    expect(slept).toEqual([1500])
    const both = await get({ 'X-Mock-Fault': 'latency=200;status=502' })
    expect(both.status).toBe(502)
    expect(slept).toEqual([1500, 200])
  })

  it('reset drops the connection: the client sees a socket error', async () => {
    const err = await get({ 'X-Mock-Fault': 'reset' }).catch((e) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(String(err.cause?.code ?? err.cause?.message)).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/i)
  })

  it('timeout never answers: an AbortSignal timeout trips', async () => {
    const err = await get({ 'X-Mock-Fault': 'timeout' }, { signal: AbortSignal.timeout(150) }).catch((e) => e)
    expect(err.name).toBe('TimeoutError')
    // The mock is still fine afterwards.
    expect((await get()).status).toBe(200)
  })

  it('malformed sends truncated JSON: parsing fails', async () => {
    const res = await get({ 'X-Mock-Fault': 'malformed' })
    expect(res.status).toBe(200)
    await expect(res.json()).rejects.toThrow(SyntaxError)
  })

  it('a bad header is a 400 that says what is wrong', async () => {
    const res = await get({ 'X-Mock-Fault': 'status=200' })
    expect(res.status).toBe(400)
    expect((await res.json()).message).toMatch(/status must be a whole number from 400 to 599/)
    expect((await get({ 'X-Mock-Fault': 'explode' })).status).toBe(400)
  })

  it('--no-fault-headers ignores the header', async () => {
    await server.close()
    await boot({ faultHeaders: false })
    expect((await get({ 'X-Mock-Fault': 'status=503' })).status).toBe(200)
  })
})

describe('fault rules', () => {
  it('times: the next N matching requests fail, then no more', async () => {
    const rule = await (await control('POST', 'faults', { match: { operationId: 'get-contact' }, action: { status: 502 }, times: 2 })).json()
    expect(rule).toMatchObject({ id: 'rule-1', seen: 0, fired: 0 })
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([502, 502, 200])
    const journal = await (await control('GET', 'requests?fault=rule:rule-1')).json()
    expect(journal.requests).toHaveLength(2)
  })

  it('after: N successes, then every match fails; other operations untouched', async () => {
    await control('POST', 'faults', { match: { method: 'GET', path: '/contacts/{contactId}' }, action: { status: 500 }, after: 1 })
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 500, 500])
    const list = await fetch(`${server.url}/contacts/?locationId=${server.app.state.defaultTokens[0].locationId}`, { headers })
    expect(list.status).toBe(200)
  })

  it('matches by location and app', async () => {
    const [a, b] = server.app.state.defaultTokens
    await control('POST', 'faults', { match: { locationId: b.locationId }, action: { status: 503 } })
    expect((await get()).status).toBe(200)
    await control('DELETE', 'faults')
    await control('POST', 'faults', { match: { app: a.appId }, action: { status: 503 } })
    expect((await get()).status).toBe(503)
  })

  it('probability: the same seed fails the same requests', async () => {
    const run = async (seed: number) => {
      await server.close()
      await boot({ seed })
      await control('POST', 'faults', { match: { path: '/contacts/*' }, action: { status: 503 }, probability: 0.3 })
      const statuses: number[] = []
      for (let i = 0; i < 40; i++) statuses.push((await get()).status)
      return statuses.join('')
    }
    const first = await run(9)
    expect(first).toContain('503')
    expect(first).toContain('200')
    expect(await run(9)).toBe(first)
    expect(await run(10)).not.toBe(first)
  })

  it('bad rules are refused with a clear 422; list and delete work', async () => {
    const bad = await control('POST', 'faults', { action: { status: 503 }, times: 1, probability: 0.5 })
    expect(bad.status).toBe(422)
    expect(JSON.stringify(await bad.json())).toMatch(/use one of times, after, probability/)
    await control('POST', 'faults', { id: 'x', action: { latency: 10 } })
    expect((await (await control('GET', 'faults')).json()).rules.map((r: { id: string }) => r.id)).toEqual(['x'])
    expect((await control('DELETE', 'faults/x')).status).toBe(204)
    expect((await control('DELETE', 'faults/x')).status).toBe(404)
  })

  it('a rule naming an unknown operationId is refused (it would never match), with every problem listed', async () => {
    const bad = await control('POST', 'faults', { match: { operationId: 'get-contactz' }, action: { status: 503 }, times: 1, probability: 0.5 })
    expect(bad.status).toBe(422)
    const { message } = (await bad.json()) as { message: string[] }
    expect(message).toEqual([
      expect.stringMatching(/use one of times, after, probability/),
      expect.stringMatching(/match\.operationId "get-contactz" is not an operation of the spec.*get-contact\b/),
    ])
    expect((await (await control('GET', 'faults')).json()).rules).toEqual([])
  })
})

describe('scenarios', () => {
  it('outage: everything 503 except the control API; applied at run time by name', async () => {
    expect((await control('POST', 'scenarios', { name: 'outage' })).status).toBe(200)
    expect((await get()).status).toBe(503)
    expect((await control('GET', 'health')).status).toBe(200)
  })

  it('every built-in loads at start', async () => {
    const names = (await (await control('GET', 'scenarios')).json()).scenarios.map((s: { name: string }) => s.name)
    expect(names.sort()).toEqual(['flaky', 'outage', 'rate-limited', 'slow', 'token-expiry', 'webhook-chaos'])
    for (const name of names) {
      const s = await startMockServer({ port: 0, scenarios: [name] })
      await s.close()
    }
  })

  it('a scenario file sets limits, faults, seed and token lifetime', async () => {
    const file = join(dir, 'mine.yaml')
    writeFileSync(
      file,
      'name: mine\nseed: 77\nrateLimit: 2/10s\nauth: {accessTokenTtlSeconds: 30}\nfaults:\n  - {match: {operationId: get-contact}, action: {status: 504}, times: 1}\n',
    )
    await server.close()
    await boot({ scenarios: [file] })
    expect(server.app.state.options.seed).toBe(77)
    expect(server.app.state.options.accessTokenTtlSeconds).toBe(30)
    // An injected fault answers before the rate limiter, so it uses no budget.
    expect([(await get()).status, (await get()).status, (await get()).status, (await get()).status]).toEqual([504, 200, 200, 429])
  })

  it('a misconfigured scenario is rejected with a clear message, before listening', async () => {
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ name: 'bad', rateLimits: '5/1s' }))
    await expect(startMockServer({ port: 0, scenarios: [file] })).rejects.toThrow(/scenario .*bad\.json: .*additional properties "rateLimits"/)
    writeFileSync(file, JSON.stringify({ faults: [{ action: { status: 503 }, probability: 2 }] }))
    await expect(startMockServer({ port: 0, scenarios: [file] })).rejects.toThrow(/faults\[0\]: probability must be between 0 and 1/)
    await expect(startMockServer({ port: 0, scenarios: ['no-such-scenario'] })).rejects.toThrow(/neither a built-in/)
  })

  it('fault rules given at start (embedding the mock) are checked all at once', async () => {
    const faults = [
      { match: { operationId: 'nope' }, action: { status: 503 } },
      { action: { status: 503 }, times: 0 },
    ]
    await expect(startMockServer({ port: 0, faults })).rejects.toThrow(/faults\[0\]: match\.operationId "nope"[\s\S]*faults\[1\]: times must be/)
  })

  it('scenario validation lists every problem, in every scenario given, not just the first', async () => {
    const a = join(dir, 'many.json')
    writeFileSync(
      a,
      JSON.stringify({
        rateLimits: '5/1s',
        clock: { frozen: 'yes' },
        faults: [
          { action: { status: 503 }, probability: 2 },
          { match: { operationId: 'nope' }, action: { status: 503 } },
        ],
      }),
    )
    const b = join(dir, 'other.json')
    writeFileSync(b, JSON.stringify({ retryAfter: 'yes' }))
    const err = await startMockServer({ port: 0, scenarios: [a, b, 'no-such-scenario'] }).then(
      (s) => s.close().then(() => new Error('started')),
      (e: Error) => e,
    )
    for (const problem of [
      /many\.json: .*additional properties "rateLimits"/,
      /many\.json: .*\/clock\/frozen must be boolean/,
      /many\.json: .*faults\[0\]: probability must be between 0 and 1/,
      /many\.json: .*faults\[1\]: match\.operationId "nope" is not an operation of the spec/,
      /other\.json: .*\/retryAfter must be boolean/,
      /no-such-scenario.*neither a built-in/,
    ])
      expect(err.message).toMatch(problem)
  })
})
