/**
 * Fuzz on a real socket: malformed HTTP written raw (node:net), then a smaller pass of
 * generated API requests over a keep-alive http.Agent. Invariants: every answer is a
 * status line below 500, no connection reset, no hang, the server healthy afterwards.
 */
import http from 'node:http'
import net from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { FUZZ_SEED, announce, expectGhlError, requestsFor, runs, type Pools } from './support.ts'

const RAW = runs(200, 0.05)
const OVER_HTTP = runs(200, 0.05)

let server: MockServer
let port: number

const errors = vi.spyOn(console, 'error')

beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    contacts: 5,
    faultHeaders: false,
    rateLimit: false,
    sleep: async () => {},
    timeouts: { headersTimeout: 2000, requestTimeout: 2000, connectionsCheckingInterval: 100 },
  })
  port = Number(new URL(server.url).port)
})
afterAll(async () => {
  await server.close()
  // A crash the client never saw (it had gone) is still a crash.
  expect(errors.mock.calls.filter((call) => String(call[0]).includes('crashed'))).toEqual([])
  errors.mockRestore()
})

/** Writes `raw`, half-closes, and collects what comes back until the server closes. */
function rawExchange(raw: Buffer): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1')
    let text = ''
    let error: string | undefined
    const timer = setTimeout(() => {
      error = 'hang'
      sock.destroy()
    }, 5000)
    sock.on('data', (d) => (text += d.toString('latin1')))
    sock.on('error', (e) => (error = (e as NodeJS.ErrnoException).code ?? e.message))
    sock.on('close', () => {
      clearTimeout(timer)
      resolve({ text, error })
    })
    sock.end(raw)
  })
}

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/)
const junk = fc.string({ unit: 'binary', maxLength: 40 })
const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'CONNECT', 'TRACE', 'PRI', 'get', ''), token, junk)
const target = fc.oneof(
  fc.constantFrom(
    '/',
    '/contacts/',
    '/contacts/search',
    '/__mock/health',
    '/__mock/reset',
    '/__mock/clock',
    '*',
    'http://evil.example/',
    '//x',
    '/%',
    '/%zz',
    '/..%2f..',
    '/contacts/%00',
    `/${'a'.repeat(9000)}`,
  ),
  junk,
)
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', 'HTTP/9', '', 'http/1.1')
const header = fc.oneof(
  fc.constantFrom(
    'Host: 127.0.0.1',
    'Host: evil.example',
    'Content-Length: 5',
    'Content-Length: -1',
    'Content-Length: 99999999999999999999',
    'Content-Length: 1, 2',
    'Transfer-Encoding: chunked',
    'Transfer-Encoding: gzip, chunked',
    'Transfer-Encoding: xchunked',
    'Content-Type: application/json',
    'Content-Type: text/plain',
    'Origin: https://evil.example',
    'Expect: 100-continue',
    'Connection: keep-alive',
    'Connection: close, upgrade',
    'Upgrade: websocket',
    `Authorization: Bearer ${'x'.repeat(100)}`,
    ' leading-space: x',
    'No-Colon',
    'Bad\u0000Name: x',
    `X-Big: ${'b'.repeat(20000)}`,
    'Version: 2021-07-28',
  ),
  fc.tuple(token, junk).map(([k, v]) => `${k}: ${v}`),
)
const body = fc.oneof(fc.constantFrom('', '{}', '{"a":', '0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nxx\r\n', '['.repeat(5000), 'x'.repeat(70000)), junk)
const lineEnd = fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r')
const malformed = fc
  .record({ method, target, version, headers: fc.array(header, { maxLength: 6 }), body, eol: lineEnd })
  .map(({ method, target, version, headers, body, eol }) =>
    Buffer.from(`${method} ${target} ${version}${eol}${headers.join(eol)}${headers.length ? eol : ''}${eol}${body}`, 'latin1'),
  )

describe('fuzz: raw malformed HTTP on a listening server', () => {
  it(
    'always a status line below 500, never a reset or a hang',
    async () => {
      const n = RAW
      announce('raw HTTP', n)
      await fc.assert(
        fc.asyncProperty(malformed, async (raw) => {
          const { text, error } = await rawExchange(raw)
          if (error) throw new Error(`connection ${error} for ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`)
          if (!/^HTTP\/1\.[01] \d{3} /.test(text))
            throw new Error(`no status line for ${JSON.stringify(raw.toString('latin1').slice(0, 200))}: ${JSON.stringify(text.slice(0, 100))}`)
          for (const m of text.matchAll(/HTTP\/1\.[01] (\d{3})/g))
            if (Number(m[1]) >= 500) throw new Error(`${m[1]} for ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`)
        }),
        { seed: FUZZ_SEED, numRuns: n },
      )
      expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200)
    },
    20_000 + RAW * 20,
  )
})

describe('fuzz: generated API requests over keep-alive connections', () => {
  it(
    'no 5xx, no reset, GHL error shape',
    async () => {
      const [a] = await server.app.state.store.listLocations()
      const tokenA = server.app.state.defaultTokens.find((t) => t.locationId === a.id)!.token
      const { contacts } = await server.app.state.store.listContacts(a.id, { limit: 5 })
      const ids = [a.id, ...contacts.map((c) => c.id), 'nope']
      const pools: Pools = {
        ids: fc.constantFrom(...ids),
        own: fc.constantFrom(...ids),
        byName: { contactId: fc.constantFrom(...contacts.map((c) => c.id)), locationId: fc.constant(a.id) },
      }
      const ops = server.app.state.spec.operations.filter((op) => op.operationId !== 'resetState')
      const agent = new http.Agent({ keepAlive: true, maxSockets: 2 })
      const send = (req: { method: string; path: string; headers: Record<string, string>; body?: string }) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          // Node's client sends a DELETE body with no Content-Length (the server then reads it as the next request).
          const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) }
          const r = http.request({ agent, host: '127.0.0.1', port, method: req.method, path: req.path, headers }, (res) => {
            // The live journal (an event stream) never ends by itself: its status line is the answer.
            if (res.headers['content-type']?.includes('text/event-stream')) {
              res.destroy()
              return resolve({ status: res.statusCode!, text: '' })
            }
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (d) => (text += d))
            res.on('end', () => resolve({ status: res.statusCode!, text }))
            res.on('error', reject)
          })
          r.on('error', reject)
          r.end(req.body)
        })
      const n = OVER_HTTP
      announce('API over keep-alive', n)
      try {
        await fc.assert(
          fc.asyncProperty(
            requestsFor(server.app.state.spec, ops, pools, fc.oneof(fc.constant(`Bearer ${tokenA}`), fc.constant(undefined))),
            async ({ operationId, req }) => {
              const res = await send(req)
              server.app.state.faults.clear()
              const where = `${req.method} ${req.path} (${operationId})`
              if (res.status >= 500) throw new Error(`${where}: ${res.status} ${res.text.slice(0, 300)}`)
              if (res.status >= 400 && req.method !== 'HEAD' && !res.text.startsWith('<')) expectGhlError(res.status, res.text, where)
            },
          ),
          { seed: FUZZ_SEED, numRuns: n },
        )
      } finally {
        agent.destroy()
      }
      expect((await fetch(`${server.url}/__mock/health`)).status).toBe(200)
    },
    20_000 + OVER_HTTP * 20,
  )
})
