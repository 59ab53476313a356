/**
 * In-process throughput of the mock's request pipeline (no sockets), per operation.
 * Run: npx tsx bench/requests.ts [requests-per-case]
 * Prints requests/second and the median and p99 latency for each case.
 */
import { createMockApp } from '../mock/app.ts'

const N = Number(process.argv[2] ?? 5000)
const app = await createMockApp({ contacts: 2000, rateLimit: false } as any)
const token = app.state.defaultTokens[0]
const loc = token.locationId!
const headers = { Authorization: `Bearer ${token.token}`, Version: '2021-07-28', 'content-type': 'application/json' }
const { contacts } = await app.state.store.listContacts(loc, { limit: 100 })

const cases: Array<[string, (i: number) => Request]> = [
  ['GET /contacts/{id}', (i) => new Request(`http://mock/contacts/${contacts[i % contacts.length].id}`, { headers })],
  ['GET /contacts/ (list, 20)', () => new Request(`http://mock/contacts/?locationId=${loc}`, { headers })],
  [
    'POST /contacts/search (2 filters)',
    () =>
      new Request('http://mock/contacts/search', {
        method: 'POST',
        headers,
        body: JSON.stringify({ locationId: loc, pageLimit: 20, filters: [{ field: 'tags', operator: 'eq', value: 'vip' }, { field: 'country', operator: 'exists' }] }),
      }),
  ],
  ['POST /contacts/ (create)', (i) => new Request('http://mock/contacts/', { method: 'POST', headers, body: JSON.stringify({ locationId: loc, firstName: `Bench${i}`, email: `bench${i}@example.com` }) })],
  ['401 (no token)', () => new Request(`http://mock/contacts/${contacts[0].id}`, { headers: { Version: '2021-07-28' } })],
]

for (const [name, make] of cases) {
  const times: number[] = []
  const started = performance.now()
  for (let i = 0; i < N; i++) {
    const t = performance.now()
    const res = await app.fetch(make(i))
    await res.arrayBuffer()
    times.push(performance.now() - t)
    if (res.status >= 500) throw new Error(`${name}: ${res.status}`)
  }
  const total = performance.now() - started
  times.sort((a, b) => a - b)
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3)
  console.log(`${name.padEnd(36)} ${Math.round((N / total) * 1000).toString().padStart(7)} req/s   median ${q(0.5)} ms   p99 ${q(0.99)} ms`)
}
