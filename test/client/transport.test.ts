/** The client against scripted answers (no mock): retries, safety of writes, timeouts, aborts, logging. */
import { describe, expect, it } from 'vitest'
import { createGhlClient, GhlError, type GhlClientEvent, type GhlClientOptions } from '../../client/index.ts'
import type { FetchFunction } from '../../client/transport.ts'
import { json, manualClock } from './fakes.ts'

const RATE = {
  'X-RateLimit-Max': '100',
  'X-RateLimit-Remaining': '90',
  'X-RateLimit-Interval-Milliseconds': '10000',
  'X-RateLimit-Limit-Daily': '200000',
  'X-RateLimit-Daily-Remaining': '150000',
}
const CONTACT = { id: 'c1aaaaaaaaaaaaaaaaaa', locationId: 'loc', dateAdded: '2026-01-01T00:00:00.000Z' }

interface Seen {
  method: string
  url: string
  headers: Headers
  body?: string
}

/** A fetch that answers from a script, one entry per request; the last one repeats. */
function scripted(...script: Array<Response | Error | (() => Response | Promise<Response>)>) {
  const seen: Seen[] = []
  const fetch: FetchFunction = async (url, init) => {
    seen.push({ method: init.method ?? 'GET', url, headers: new Headers(init.headers), body: init.body as string | undefined })
    const next = script.length > 1 ? script.shift()! : script[0]
    if (next instanceof Error) throw next
    const res = typeof next === 'function' ? await next() : next.clone()
    return res
  }
  return { fetch, seen }
}

function client(fetch: FetchFunction, extra: Partial<GhlClientOptions> = {}) {
  const clock = manualClock()
  const events: GhlClientEvent[] = []
  const ghl = createGhlClient({
    baseUrl: 'http://mock.test',
    token: 'pit-test',
    fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    log: (e) => events.push(e),
    ...extra,
  })
  return { ghl, clock, events }
}

const connError = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) })

describe('requests', () => {
  it('sends the Version header, the bearer token and a typed body; returns the typed answer', async () => {
    const { fetch, seen } = scripted(json(201, { contact: CONTACT }, RATE))
    const { ghl } = client(fetch)
    const out = await ghl.contacts.create({ locationId: 'loc', firstName: 'Ada', email: 'ada@example.com' })
    expect(out.contact.id).toBe(CONTACT.id)
    expect(seen[0].method).toBe('POST')
    expect(seen[0].url).toBe('http://mock.test/contacts/')
    expect(seen[0].headers.get('version')).toBe('2021-07-28')
    expect(seen[0].headers.get('authorization')).toBe('Bearer pit-test')
    expect(seen[0].headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(seen[0].body!)).toEqual({ locationId: 'loc', firstName: 'Ada', email: 'ada@example.com' })
  })

  it('builds paths and queries from the spec (and DELETE bodies)', async () => {
    const { fetch, seen } = scripted(json(200, { tags: [] }, RATE), json(200, { contacts: [], count: 0 }, RATE))
    const { ghl } = client(fetch, { version: '2023-02-21' })
    await ghl.tags.remove('c/1', { tags: ['vip'] })
    await ghl.contacts.list({ locationId: 'loc', limit: 5, query: 'a b' })
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: 'http://mock.test/contacts/c%2F1/tags', body: '{"tags":["vip"]}' })
    expect(seen[1].url).toBe('http://mock.test/contacts/?locationId=loc&limit=5&query=a%20b')
    expect(seen[1].headers.get('version')).toBe('2023-02-21')
  })

  it('a token provider is asked before each request', async () => {
    const { fetch, seen } = scripted(json(200, { contact: CONTACT }, RATE))
    let n = 0
    const { ghl } = client(fetch, { token: () => `tok-${++n}` })
    await ghl.contacts.get('a')
    await ghl.contacts.get('b')
    expect(seen.map((s) => s.headers.get('authorization'))).toEqual(['Bearer tok-1', 'Bearer tok-2'])
  })
})

describe('errors', () => {
  it('duplicate create: kind duplicate with the existing id, not retried', async () => {
    const { fetch, seen } = scripted(
      json(
        400,
        { statusCode: 400, message: 'This location does not allow duplicated contacts.', meta: { contactId: 'existing0000000000000', matchingField: 'email' } },
        RATE,
      ),
    )
    const { ghl } = client(fetch)
    const err = await ghl.contacts.create({ locationId: 'loc', email: 'a@b.c' }).catch((e) => e)
    expect(err).toBeInstanceOf(GhlError)
    expect(err).toMatchObject({
      kind: 'duplicate',
      status: 400,
      existingContactId: 'existing0000000000000',
      operation: 'create-contact',
      method: 'POST',
      attempts: 1,
    })
    expect(seen).toHaveLength(1)
  })

  it('422 lists every message; not retried', async () => {
    const { fetch, seen } = scripted(
      json(422, { statusCode: 422, message: ['email must be an email', 'property x should not exist'], error: 'Unprocessable Entity' }, RATE),
    )
    const { ghl } = client(fetch)
    const err: GhlError = await ghl.contacts.upsert({ locationId: 'l', email: 'nope', createNewIfDuplicateAllowed: false }).catch((e) => e)
    expect(err.kind).toBe('validation')
    expect(err.messages).toEqual(['email must be an email', 'property x should not exist'])
    expect(seen).toHaveLength(1)
  })

  it('an unknown id (the API answers 400) is not-found', async () => {
    const { fetch } = scripted(json(400, { statusCode: 400, message: 'Contact with id zzz not found' }, RATE))
    const { ghl } = client(fetch)
    await expect(ghl.contacts.get('zzz')).rejects.toMatchObject({ kind: 'not-found', operation: 'get-contact' })
  })
})

describe('retries', () => {
  it('GET: 503, 502, then 200 with full-jitter backoff', async () => {
    const { fetch, seen } = scripted(
      json(503, { statusCode: 503, message: 'Service Unavailable' }, RATE),
      json(502, {}, RATE),
      json(200, { contact: CONTACT }, RATE),
    )
    const { ghl, clock, events } = client(fetch, { retry: { baseDelayMs: 400 } })
    const out = await ghl.contacts.get('c1')
    expect(out.contact.id).toBe(CONTACT.id)
    expect(seen).toHaveLength(3)
    expect(clock.slept).toEqual([200, 400]) // random() = 0.5 of 400, then of 800
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
  })

  it('create: a 503 is not retried and says the write may have happened', async () => {
    const { fetch, seen } = scripted(json(503, { statusCode: 503, message: 'Service Unavailable' }, RATE))
    const { ghl } = client(fetch)
    await expect(ghl.contacts.create({ locationId: 'loc', firstName: 'A' })).rejects.toMatchObject({
      kind: 'server',
      status: 503,
      maybeApplied: true,
      attempts: 1,
    })
    expect(seen).toHaveLength(1)
  })

  it('create marked retrySafe is retried', async () => {
    const { fetch, seen } = scripted(json(503, {}, RATE), json(201, { contact: CONTACT }, RATE))
    const { ghl } = client(fetch)
    await ghl.contacts.create({ locationId: 'loc' }, { retrySafe: true })
    expect(seen).toHaveLength(2)
  })

  it('upsert and search are retry-safe POSTs', async () => {
    const { fetch, seen } = scripted(
      json(504, {}, RATE),
      json(200, { new: false, contact: CONTACT }, RATE),
      json(503, {}, RATE),
      json(200, { contacts: [], total: 0 }, RATE),
    )
    const { ghl } = client(fetch)
    await ghl.contacts.upsert({ locationId: 'loc', email: 'a@b.c', createNewIfDuplicateAllowed: false })
    await ghl.contacts.search({ locationId: 'loc', pageLimit: 10 })
    expect(seen).toHaveLength(4)
  })

  it('a refused connection is retried even for a create (nothing was sent)', async () => {
    const { fetch, seen } = scripted(connError('ECONNREFUSED'), json(201, { contact: CONTACT }, RATE))
    const { ghl } = client(fetch)
    await ghl.contacts.create({ locationId: 'loc' })
    expect(seen).toHaveLength(2)
  })

  it('a reset connection after sending a create is not retried', async () => {
    const { fetch, seen } = scripted(connError('ECONNRESET'), json(201, { contact: CONTACT }, RATE))
    const { ghl } = client(fetch)
    await expect(ghl.tasks.create('c1', { title: 't', dueDate: '2026-01-01T00:00:00Z', completed: false })).rejects.toMatchObject({
      kind: 'network',
      maybeApplied: true,
      operation: 'create-task',
    })
    expect(seen).toHaveLength(1)
  })

  it('malformed JSON: a GET is retried, a create surfaces a network error', async () => {
    const bad = () => new Response('{"contact": {"id": ', { status: 200, headers: { 'Content-Type': 'application/json', ...RATE } })
    const a = scripted(bad, json(200, { contact: CONTACT }, RATE))
    await client(a.fetch).ghl.contacts.get('c1')
    expect(a.seen).toHaveLength(2)
    const b = scripted(bad)
    await expect(client(b.fetch).ghl.notes.create('c1', { body: 'hi' })).rejects.toMatchObject({ kind: 'network', maybeApplied: true })
    expect(b.seen).toHaveLength(1)
  })

  it('429: waits for the window (or Retry-After) with jitter, then succeeds; the caller never sees it', async () => {
    const limited = (extra: Record<string, string> = {}) =>
      json(429, { statusCode: 429, message: 'Too many requests' }, { ...RATE, 'X-RateLimit-Remaining': '0', ...extra })
    const a = scripted(limited(), json(200, { contact: CONTACT }, RATE))
    const one = client(a.fetch)
    await one.ghl.contacts.create({ locationId: 'loc' }) // a 429 was refused before anything happened: safe even for creates
    expect(a.seen).toHaveLength(2)
    expect(one.clock.slept).toEqual([10_500]) // interval + 0.5 × 1 s jitter
    const b = scripted(limited({ 'Retry-After': '2' }), json(200, { contact: CONTACT }, RATE))
    const two = client(b.fetch)
    await two.ghl.contacts.get('c1')
    expect(two.clock.slept).toEqual([2_500])
  })

  it('daily quota: a quota error at once, no retry, later calls fail without sending', async () => {
    const { fetch, seen } = scripted(json(429, { statusCode: 429, message: 'Too many requests' }, { ...RATE, 'X-RateLimit-Daily-Remaining': '0' }))
    const { ghl } = client(fetch)
    await expect(ghl.contacts.get('c1')).rejects.toMatchObject({ kind: 'quota', attempts: 1 })
    await expect(ghl.contacts.get('c2')).rejects.toMatchObject({ kind: 'quota', attempts: 0, operation: 'get-contact' })
    expect(seen).toHaveLength(1)
  })

  it('attempts are bounded', async () => {
    const { fetch, seen } = scripted(json(503, {}, RATE))
    const { ghl } = client(fetch, { retry: { maxAttempts: 3 } })
    await expect(ghl.contacts.get('c1')).rejects.toMatchObject({ kind: 'server', attempts: 3, maybeApplied: false })
    expect(seen).toHaveLength(3)
    const once = scripted(json(503, {}, RATE))
    await expect(client(once.fetch).ghl.contacts.get('c1', { maxAttempts: 1 })).rejects.toMatchObject({ attempts: 1 })
  })

  it('total time is bounded', async () => {
    const { fetch, seen } = scripted(json(503, {}, RATE))
    const { ghl } = client(fetch, { retry: { maxAttempts: 100, baseDelayMs: 1_000, maxDelayMs: 10_000, maxElapsedMs: 20_000 }, random: () => 0.99 })
    await expect(ghl.contacts.get('c1')).rejects.toMatchObject({ kind: 'server' })
    expect(seen.length).toBeLessThan(8)
  })
})

describe('timeouts and cancellation', () => {
  it('a request that never answers times out (network, timeout: true) and a GET is retried', async () => {
    let n = 0
    const fetch: FetchFunction = () => (++n === 1 ? new Promise<Response>(() => {}) : Promise.resolve(json(200, { contact: CONTACT }, RATE)))
    const { ghl } = client(fetch, { timeoutMs: 20 })
    await ghl.contacts.get('c1')
    expect(n).toBe(2)
    const hang: FetchFunction = () => new Promise<Response>(() => {})
    await expect(client(hang, { timeoutMs: 20 }).ghl.contacts.update('c1', { firstName: 'x' }, { maxAttempts: 1 })).rejects.toMatchObject({
      kind: 'network',
      timeout: true,
    })
  })

  it("the caller's signal aborts the call without retrying", async () => {
    const controller = new AbortController()
    const fetch: FetchFunction = () => {
      queueMicrotask(() => controller.abort(new Error('shutdown')))
      return new Promise<Response>(() => {})
    }
    await expect(client(fetch).ghl.contacts.get('c1', { signal: controller.signal })).rejects.toThrow('shutdown')
  })

  it('the client-wide signal aborts every call', async () => {
    const controller = new AbortController()
    controller.abort(new Error('closed'))
    const { fetch, seen } = scripted(json(200, { contact: CONTACT }, RATE))
    await expect(client(fetch, { signal: controller.signal }).ghl.contacts.get('c1')).rejects.toThrow('closed')
    expect(seen).toHaveLength(0)
  })
})

describe('logging hook', () => {
  it('reports requests, answers and retries; a throwing hook breaks nothing', async () => {
    const { fetch } = scripted(json(503, {}, RATE), json(200, { contact: CONTACT }, RATE))
    const { ghl, events } = client(fetch)
    await ghl.contacts.get('c1')
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'retry', 'request', 'response'])
    expect(events[1]).toMatchObject({ operation: 'get-contact', status: 503, attempt: 1, rateLimit: { remaining: 90, max: 100 } })
    const again = scripted(json(200, { contact: CONTACT }, RATE))
    await createGhlClient({
      baseUrl: 'http://x',
      token: 't',
      fetch: again.fetch,
      log: () => {
        throw new Error('bad hook')
      },
    }).contacts.get('c1')
  })
})

describe('recover: creates after an ambiguous failure', () => {
  const NOTE = { id: 'n1', body: 'Enrolled', dateAdded: '2026-01-15T12:00:00.000Z', contactId: 'c1' }

  it('finds the note the failed call made instead of creating it twice', async () => {
    const { fetch, seen } = scripted(json(503, {}, RATE), json(200, { notes: [NOTE] }, RATE))
    const { ghl } = client(fetch)
    expect(await ghl.notes.create('c1', { body: 'Enrolled' }, { recover: true })).toEqual({ note: NOTE })
    expect(seen.map((s) => s.method)).toEqual(['POST', 'GET'])
  })

  it('sends the create again when the record is not there', async () => {
    const { fetch, seen } = scripted(connError('ECONNRESET'), json(200, { tasks: [] }, RATE), json(201, { task: { id: 't1', title: 'Call' } }, RATE))
    const { ghl } = client(fetch)
    const out = await ghl.tasks.create('c1', { title: 'Call', dueDate: '2026-02-01T10:00:00Z', completed: false }, { recover: true })
    expect(out.task.id).toBe('t1')
    expect(seen.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual(['POST /contacts/c1/tasks', 'GET /contacts/c1/tasks', 'POST /contacts/c1/tasks'])
  })

  it('contacts are found by email through the duplicate lookup', async () => {
    const { fetch, seen } = scripted(
      json(502, {}, RATE),
      json(200, { contact: { ...CONTACT, email: 'a@b.c', dateAdded: '2026-01-15T12:00:00.000Z' }, matchingField: 'email' }, RATE),
    )
    const { ghl } = client(fetch)
    const out = await ghl.contacts.create({ locationId: 'loc', email: 'a@b.c' }, { recover: true })
    expect(out.contact.id).toBe(CONTACT.id)
    expect(seen[1].url).toBe('http://mock.test/contacts/search/duplicate?locationId=loc&email=a%40b.c')
  })

  it('a contact older than the call is not taken for the one it made', async () => {
    const { fetch, seen } = scripted(
      json(503, {}, RATE),
      json(200, { contact: { ...CONTACT, dateAdded: '2025-01-01T00:00:00.000Z' } }, RATE),
      json(201, { contact: { ...CONTACT, id: 'fresh' } }, RATE),
    )
    const { ghl } = client(fetch)
    expect((await ghl.contacts.create({ locationId: 'loc', email: 'a@b.c' }, { recover: true })).contact.id).toBe('fresh')
    expect(seen).toHaveLength(3)
  })

  it('clear failures are not recovered', async () => {
    const { fetch, seen } = scripted(json(422, { statusCode: 422, message: ['body should not be empty'] }, RATE))
    const { ghl } = client(fetch)
    await expect(ghl.notes.create('c1', { body: '' }, { recover: true })).rejects.toMatchObject({ kind: 'validation' })
    expect(seen).toHaveLength(1)
  })
})

describe('the budget survives aborted calls', () => {
  it('an abort mid-request gives its slot back', async () => {
    const clock = manualClock()
    let reached: () => void
    const sent = new Promise<void>((resolve) => (reached = resolve))
    const fetch: FetchFunction = (url, init) => {
      if (!url.endsWith('/a')) return Promise.resolve(json(200, { contact: CONTACT }, RATE))
      reached()
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    }
    const ghl = createGhlClient({ baseUrl: 'http://x', token: 't', fetch, now: clock.now, sleep: clock.sleep, pacing: { maxConcurrency: 1 } })
    const controller = new AbortController()
    const first = ghl.contacts.get('a', { signal: controller.signal })
    await sent
    expect(ghl.rateLimit().inFlight).toBe(1)
    controller.abort(new Error('cancelled'))
    await expect(first).rejects.toThrow('cancelled')
    await ghl.contacts.get('b')
    expect(ghl.rateLimit().inFlight).toBe(0)
  })
})
