import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { T0, VERSION } from '../support/mock.ts'

let server: MockServer
let token: string
let locationId: string
beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    contacts: 3,
    clock: createClock({ start: T0, frozen: true }),
    rateLimit: { burst: 3, windowMs: 10_000, daily: 50 },
  })
  token = server.app.state.defaultTokens[0].token
  locationId = server.app.state.defaultTokens[0].locationId!
})
afterAll(() => server.close())

/** Reads server-sent events until `count` events named `name` arrived. */
async function collect(res: Response, name: string, count: number) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: Array<{ event: string; data: any }> = []
  let buffer = ''
  while (events.filter((e) => e.event === name).length < count) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (event) events.push({ event, data: data && JSON.parse(data) })
    }
  }
  await reader.cancel()
  return events
}

describe('GET /__mock/journal/stream', () => {
  it('sends each journal entry as it is recorded, filtered like GET /__mock/requests', async () => {
    const res = await fetch(`${server.url}/__mock/journal/stream?operationId=get-contact`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = collect(res, 'request', 1)
    const headers = { Authorization: `Bearer ${token}`, Version: VERSION }
    await fetch(`${server.url}/contacts/?locationId=${locationId}&limit=1`, { headers })
    await fetch(`${server.url}/contacts/nope0000000000000000`, { headers })
    const got = await events
    expect(got[0].event).toBe('ready')
    const requests = got.filter((e) => e.event === 'request')
    expect(requests).toHaveLength(1)
    expect(requests[0].data).toMatchObject({ method: 'GET', path: '/contacts/nope0000000000000000', operationId: 'get-contact', locationId })
  })
})

describe('GET /__mock/limits/usage', () => {
  it('shows the burst and daily budget per app and location, and a clock advance reopens the window', async () => {
    // The second location's token: the stream test above spent some of the first one's budget.
    const { token, locationId } = server.app.state.defaultTokens[1] as { token: string; locationId: string }
    const headers = { Authorization: `Bearer ${token}`, Version: VERSION }
    for (let i = 0; i < 2; i++) await fetch(`${server.url}/contacts/?locationId=${locationId}&limit=1`, { headers })
    const usage = (await (await fetch(`${server.url}/__mock/limits/usage`)).json()).usage
    const mine = usage.find((u: { app: string }) => u.app === token)
    expect(mine).toMatchObject({
      resource: locationId,
      enforced: true,
      burst: { limit: 3, remaining: 1, resetAt: new Date(T0 + 10_000).toISOString() },
      daily: { limit: 50 },
    })
    expect(mine.burst.used).toBe(2)
    await fetch(`${server.url}/__mock/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceMs: 10_000 }) })
    const after = (await (await fetch(`${server.url}/__mock/limits/usage`)).json()).usage.find((u: { app: string }) => u.app === token)
    expect(after.burst).toEqual({ limit: 3, used: 0, remaining: 3, resetAt: null })
    expect(after.daily.used).toBe(2)
  })
})
