/** Provider conformance against the mock over a real socket, and against a deliberately broken mock. */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyProvider } from '../../contracts/verify.ts'
import { failures, formatText } from '../../contracts/report.ts'
import { createMockApp } from '../../mock/app.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { parseRateLimit } from '../../mock/limits/policy.ts'

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ port: 0 })
})
afterAll(async () => {
  await server.close()
})

describe('ghl-mock verify', () => {
  it('the mock conforms: every Contacts operation exercised, none failing', async () => {
    const report = await verifyProvider({ target: server.url })
    expect(failures(report), formatText(report)).toEqual([])
    const suites = new Set(report.results.filter((r) => !r.skipped).map((r) => r.suite))
    expect(suites.size).toBe(32)
  })

  it('a mock started with --rate-limit off conforms too: the X-RateLimit-* headers stay', async () => {
    const off = await startMockServer({ port: 0, rateLimit: parseRateLimit('off') })
    try {
      const report = await verifyProvider({ target: off.url })
      expect(failures(report), formatText(report)).toEqual([])
    } finally {
      await off.close()
    }
  })

  it('read-only against a target that is not a mock unless writes are allowed', async () => {
    const token = server.app.state.defaultTokens[0]
    // Hide the control API, so the target looks like the real API.
    const bare = (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).includes('/__mock/') ? Promise.resolve(new Response('', { status: 404 })) : fetch(input, init)
    const before = server.app.state.journal.list().length
    const report = await verifyProvider({ target: server.url, token: token.token, locationId: token.locationId, fetch: bare as typeof fetch })
    const sent = server.app.state.journal.list().slice(before)
    expect(report.mock).toBe(false)
    expect(failures(report), formatText(report)).toEqual([])
    expect(report.results.find((r) => r.suite === 'create-contact')?.skipped).toBe(true)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.filter((e) => e.method !== 'GET' && e.operationId !== 'search-contacts-advanced')).toEqual([])
  })

  it('a mock with a broken response fails conformance, naming the field', async () => {
    const app = await createMockApp()
    const broken = new Hono()
    // Drop `contact.id` from every GET /contacts/{id} answer.
    broken.use('/contacts/:contactId', async (c, next) => {
      await next()
      if (c.req.method !== 'GET' || c.res.status !== 200) return
      const body = await c.res.json()
      delete body.contact.id
      c.res = new Response(JSON.stringify(body), { status: 200, headers: c.res.headers })
    })
    broken.route('/', app)
    const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const x = serve({ fetch: broken.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(x))
    })
    try {
      const report = await verifyProvider({ target: `http://127.0.0.1:${(s.address() as AddressInfo).port}` })
      const failed = failures(report)
      expect(failed.length).toBeGreaterThan(0)
      expect(failed.every((r) => r.suite === 'get-contact')).toBe(true)
      expect(failed.flatMap((r) => r.details ?? []).join('\n')).toMatch(/contact.*id/)
    } finally {
      s.close()
    }
  })
})
