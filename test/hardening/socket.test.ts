/**
 * The mock on a real socket under hostile HTTP: unread bodies, keep-alive reuse after
 * 413/404, slow clients. Raw node:net sockets so nothing in a client library hides a reset.
 */
import http from 'node:http'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { SERVER_TIMEOUTS, startMockServer, type MockServer } from '../../mock/server.ts'

let server: MockServer
let port: number

beforeAll(async () => {
  server = await startMockServer({ port: 0, contacts: 2, timeouts: { headersTimeout: 400, requestTimeout: 400, connectionsCheckingInterval: 50 } })
  port = Number(new URL(server.url).port)
})
afterAll(async () => {
  await server.close()
})

interface Exchange {
  text: string
  error?: string
  closed: boolean
}

/** Writes `chunks` on one connection; resolves when the socket closes or `until` matches what came back. */
function exchange(chunks: string[], until: (text: string) => boolean, end = false): Promise<Exchange> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1')
    const out: Exchange = { text: '', closed: false }
    const done = () => {
      sock.destroy()
      resolve(out)
    }
    sock.on('data', (d) => {
      out.text += d
      if (until(out.text)) done()
    })
    sock.on('error', (e) => (out.error = (e as NodeJS.ErrnoException).code ?? e.message))
    sock.on('close', () => {
      out.closed = true
      done()
    })
    for (const c of chunks) sock.write(c)
    if (end) sock.end()
  })
}

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length
const post = (path: string, body: string) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
const health = 'GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'

/** A POST with a chunked body (no Content-Length): the body limit has to count what streams in. */
const chunked = (path: string, parts: string[]) =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.defaultToken.token}\r\nVersion: 2021-07-28\r\n` +
  `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
  parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') +
  '0\r\n\r\n'

describe('body limit', () => {
  it('a chunked body within the limit is read and parsed; one over it is refused 413 as it streams', async () => {
    const body = JSON.stringify({ locationId: server.defaultToken.locationId, firstName: 'Chunked' })
    const ok = await exchange([chunked('/contacts/', [body.slice(0, 10), body.slice(10)])], (t) => t.includes('"firstName":"Chunked"'))
    expect(ok.text).toMatch(/^HTTP\/1\.1 201 /)
    const big = 'x'.repeat(256 * 1024)
    const over = await exchange([chunked('/contacts/', ['{"firstName":"', big, big, big, big, big, '"}'])], () => false)
    expect(over.text).toMatch(/^HTTP\/1\.1 413 /)
    expect(over.text).toContain('"statusCode":413')
  })

  it('a declared length over the limit is refused before the body arrives', async () => {
    const head = `POST /contacts/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n{"a":`
    const res = await exchange([head], (t) => t.includes('"statusCode":413'))
    expect(res.text).toMatch(/^HTTP\/1\.1 413 /)
  })
})

describe('answers sent before the body was read', () => {
  it('413 says Connection: close and the connection ends cleanly (no ECONNRESET)', async () => {
    const res = await exchange([post('/contacts/', 'x'.repeat(2 * 1024 * 1024))], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 413 /)
    expect(res.text.toLowerCase()).toContain('connection: close')
    expect(res.text).toContain('"statusCode":413')
    expect(res.error).toBeUndefined()
    expect(res.closed).toBe(true)
  })

  it('404 on a large body says Connection: close and ends cleanly', async () => {
    const res = await exchange([post('/nowhere', 'x'.repeat(512 * 1024))], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 404 /)
    expect(res.text.toLowerCase()).toContain('connection: close')
    expect(res.error).toBeUndefined()
  })

  it('a small unread body is drained: the same connection answers the next request', async () => {
    const res = await exchange([post('/nowhere', '{"a":1}') + health], (t) => t.includes('"status":"ok"'))
    expect(res.text).toMatch(/^HTTP\/1\.1 404 /)
    expect(count(res.text, /HTTP\/1\.1 \d{3}/g)).toBe(2)
    expect(res.error).toBeUndefined()
  })

  it('a keep-alive client (http.Agent) gets its next request through after a 413, six times in a row', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const request = (method: string, path: string, body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            agent,
            host: '127.0.0.1',
            port,
            method,
            path,
            headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode!))
          },
        )
        req.on('error', reject)
        req.end(body)
      })
    try {
      for (let i = 0; i < 6; i++) {
        expect(await request('POST', '/contacts/', 'x'.repeat(1024 * 1024 + 10))).toBe(413)
        expect(await request('GET', '/__mock/health')).toBe(200)
      }
    } finally {
      agent.destroy()
    }
  })
})

describe('requests Node cannot hand to the app (found by the raw-HTTP fuzz)', () => {
  it('CONNECT gets 405 in the GHL error shape instead of a silent close', async () => {
    const res = await exchange(['CONNECT / HTTP/1.1\r\n\r\n'], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 405 /)
    expect(res.text).toContain('{"statusCode":405,"message":"CONNECT is not supported"')
    expect(res.error).toBeUndefined()
  })

  it('an unparsable request gets 400 in the GHL error shape, and the connection ends cleanly', async () => {
    const res = await exchange(['GET / HTTP/1.1\r\nNo-Colon\r\n\r\n'], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 400 /)
    expect(res.text).toMatch(/"statusCode":400,"message":"Malformed HTTP request/)
    expect(res.error).toBeUndefined()
    expect(res.closed).toBe(true)
  })

  it('headers over the size limit get 431 in the GHL error shape', async () => {
    const res = await exchange([`GET / HTTP/1.1\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 431 /)
    expect(res.text).toContain('"statusCode":431')
  })
})

describe('a client that closes before its body is complete (found by the raw-HTTP fuzz)', () => {
  it.each([
    ['POST', '/contacts/', 'Content-Length: 100', '{"a":'],
    ['POST', '/__mock/reset', 'Content-Length: 100', '{"a":'],
    ['DELETE', '/%zz', 'Transfer-Encoding: chunked', '5\r\nab'],
  ])('%s %s (%s) is journaled as a 4xx, not a mock crash (500)', async (method, path, framing, body) => {
    const before = server.app.state.journal.list({}).length
    await exchange([`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n${body}`], () => false, true)
    // The server notices the short body asynchronously.
    await vi.waitFor(() => expect(server.app.state.journal.list({}).length).toBeGreaterThan(before))
    const entry = server.app.state.journal.list({}).at(-1)!
    expect(entry.status).toBeGreaterThanOrEqual(400)
    expect(entry.status).toBeLessThan(500)
  })
})

describe('server timeouts', () => {
  it('defaults are set on the listening server', async () => {
    const s = await startMockServer({ port: 0, contacts: 1 })
    try {
      const node = s.server as http.Server
      expect(node.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeout)
      expect(node.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeout)
      expect(node.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeout)
      expect(SERVER_TIMEOUTS.headersTimeout).toBeLessThan(60_000)
    } finally {
      await s.close()
    }
  })

  it('a client that never finishes its headers gets 408 and the connection is closed', async () => {
    const res = await exchange(['GET /__mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '], () => false)
    expect(res.text).toMatch(/^HTTP\/1\.1 408 /)
    expect(res.text).toContain('"statusCode":408')
    expect(res.closed).toBe(true)
  })

  it('the server is healthy afterwards', async () => {
    const res = await fetch(`${server.url}/__mock/health`)
    expect(res.status).toBe(200)
  })
})
