/**
 * The control API is safe by default: no cross-site writes, no DNS rebinding, JSON only
 * for state-changing calls, no CORS unless asked, and an admin token off loopback.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMockApp, type MockApp } from '../../mock/app.ts'
import { startMockServer } from '../../mock/server.ts'
import { makeMock, type TestMock } from '../support/mock.ts'

const run = promisify(execFile)
let m: TestMock

beforeAll(async () => {
  m = await makeMock({ contacts: 5 })
})
afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('cross-site requests', () => {
  it('a form POST to /__mock/reset from another site is refused, and nothing is reset', async () => {
    const before = m.state.defaultTokens[0].token
    await m.http.post('/__mock/clock').send({ advanceMs: 1000 })
    const res = await m.http
      .post('/__mock/reset')
      .set({ Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'cross-site' })
      .send('seed=2')
    expect(res.status).toBe(403)
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' })
    expect(res.body.message).toMatch(/Cross-site/)
    expect(m.state.defaultTokens[0].token).toBe(before)
  })

  it('an empty cross-site POST to /__mock/tokens/{t}/revoke is refused and the token still works', async () => {
    const res = await m.http.post(`/__mock/tokens/${m.token}/revoke`).set({ Origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    expect((await m.http.get(`/contacts/?locationId=${m.location.id}&limit=1`).set(m.auth())).status).toBe(200)
  })

  it.each(['cross-site', 'same-site'])('Sec-Fetch-Site: %s without Origin is refused for a write', async (site) => {
    const res = await m.http.delete('/__mock/requests').set({ 'Sec-Fetch-Site': site })
    expect(res.status).toBe(403)
  })

  it('Origin: null (sandboxed frame, file:) is refused for a write', async () => {
    const res = await m.http.delete('/__mock/faults').set({ Origin: 'null' })
    expect(res.status).toBe(403)
  })

  it('the same origin, Sec-Fetch-Site none/same-origin, and non-browser clients may write', async () => {
    const sameOrigin = { Host: 'localhost:4010', Origin: 'http://localhost:4010', 'Sec-Fetch-Site': 'same-origin' }
    expect((await m.http.delete('/__mock/requests').set(sameOrigin)).status).toBe(204)
    expect((await m.http.delete('/__mock/requests').set({ 'Sec-Fetch-Site': 'none' })).status).toBe(204)
    expect((await m.http.delete('/__mock/requests')).status).toBe(204)
  })

  it('reads from another site are not refused by the cross-site check (the browser withholds the answer: no CORS)', async () => {
    const res = await m.http.get('/__mock/health').set({ Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' })
    expect(res.status).toBe(200)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('content type of state-changing calls', () => {
  it.each([
    ['text/plain', '{"seed":2}'],
    ['application/x-www-form-urlencoded', 'seed=2'],
    ['multipart/form-data; boundary=x', '--x--'],
  ])('Content-Type %s → 415', async (type, body) => {
    const res = await m.http.post('/__mock/reset').set({ 'Content-Type': type }).send(body)
    expect(res.status).toBe(415)
    expect(res.body).toEqual({ statusCode: 415, message: 'Content-Type must be application/json', error: 'Unsupported Media Type' })
  })

  it('a body without Content-Type → 415', async () => {
    const res = await m.app.request('/__mock/clock', { method: 'POST', body: new TextEncoder().encode('{"advanceMs":1}'), headers: { 'content-length': '15' } })
    expect(res.status).toBe(415)
  })

  it('application/json (with a charset) is accepted', async () => {
    const res = await m.http.post('/__mock/clock').set({ 'Content-Type': 'application/json; charset=utf-8' }).send('{"advanceMs":1}')
    expect(res.status).toBe(200)
  })
})

describe('DNS rebinding (bound to loopback)', () => {
  it.each(['evil.example', 'evil.example:4010', '192.168.1.5:4010', 'localhost.evil.example'])('Host: %s → 403, GET /__mock/tokens included', async (host) => {
    const res = await m.http.get('/__mock/tokens').set({ Host: host })
    expect(res.status).toBe(403)
    expect(res.body.message).toMatch(/Host/)
    expect(JSON.stringify(res.body)).not.toContain(m.token)
  })

  it.each(['localhost:4010', '127.0.0.1', '127.0.0.1:4010', '[::1]:4010', 'app.localhost'])('Host: %s is served', async (host) => {
    const res = await m.http.get('/__mock/health').set({ Host: host })
    expect(res.status).toBe(200)
  })

  it('the API side does not check Host (a token is needed there anyway)', async () => {
    const res = await m.http.get(`/contacts/?locationId=${m.location.id}&limit=1`).set({ ...m.auth(), Host: 'mock.internal' })
    expect(res.status).toBe(200)
  })
})

describe('CORS', () => {
  it('no CORS headers and no preflight on /__mock/* by default', async () => {
    const res = await m.http.options('/__mock/reset').set({ Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' })
    expect(res.status).toBe(404)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('an origin named in control.corsOrigins gets a preflight and may write', async () => {
    const app: MockApp = await createMockApp({ contacts: 1, control: { hosts: 'loopback', corsOrigins: ['http://localhost:3000'] } })
    const pre = await app.request('/__mock/clock', { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    const res = await app.request('/__mock/clock', {
      method: 'POST',
      headers: { Origin: 'http://localhost:3000', 'Content-Type': 'application/json' },
      body: '{"advanceMs":1}',
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    const other = await app.request('/__mock/clock', {
      method: 'POST',
      headers: { Origin: 'http://localhost:3001', 'Content-Type': 'application/json' },
      body: '{"advanceMs":1}',
    })
    expect(other.status).toBe(403)
  })
})

describe('admin token', () => {
  it('every /__mock/* call needs it (Bearer or X-Mock-Admin-Token), reads included', async () => {
    const app = await createMockApp({ contacts: 1, control: { hosts: 'loopback', corsOrigins: [], adminToken: 's3cret' } })
    expect((await app.request('/__mock/health')).status).toBe(401)
    expect((await app.request('/__mock/tokens', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401)
    const refused = await app.request('/__mock/tokens', { headers: { 'X-Mock-Admin-Token': 's3cre' } })
    expect(await refused.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' })
    expect((await app.request('/__mock/tokens', { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200)
    expect((await app.request('/__mock/tokens', { headers: { 'X-Mock-Admin-Token': 's3cret' } })).status).toBe(200)
    const api = await app.request(`/contacts/?locationId=${app.state.defaultTokens[0].locationId}&limit=1`, {
      headers: { Authorization: `Bearer ${app.state.defaultTokens[0].token}`, Version: '2021-07-28' },
    })
    expect(api.status).toBe(200)
  })

  it('startMockServer refuses a non-loopback host without --admin-token or --unsafe-open-control, and says why', async () => {
    await expect(startMockServer({ host: '0.0.0.0', port: 0, contacts: 1 })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0.*--admin-token.*--unsafe-open-control/,
    )
  })

  it('with an admin token, a non-loopback host starts and the Host check is off (the token protects)', async () => {
    const s = await startMockServer({ host: '0.0.0.0', port: 0, contacts: 1, control: { adminToken: 't0k' } })
    try {
      const port = new URL(s.url).port
      expect((await fetch(`http://127.0.0.1:${port}/__mock/health`)).status).toBe(401)
      expect((await fetch(`http://127.0.0.1:${port}/__mock/health`, { headers: { 'X-Mock-Admin-Token': 't0k' } })).status).toBe(200)
      expect(s.app.state.options.control.hosts).toBe('any')
    } finally {
      await s.close()
    }
  })

  it('the CLI prints the reason and exits 1', async () => {
    const err = await run(process.execPath, ['bin/ghl-mock.js', 'start', '--host', '0.0.0.0', '--port', '0', '--contacts', '1']).catch((e) => e)
    expect(err.code).toBe(1)
    expect(err.stderr).toMatch(/refusing to listen on 0\.0\.0\.0/)
  })
})
