// The mock without a socket: createMockApp answers fetch Requests in this process.
import { createMockApp } from 'ghl-contacts-mock'
import { expect, it } from 'vitest'

it('answers in process', async () => {
  const app = await createMockApp({ seed: 'in-process', locations: 1, contacts: 5 })
  const [token] = app.state.defaultTokens
  if (!token) throw new Error('no default token')
  const res = await app.fetch(
    new Request(`http://mock/contacts/?locationId=${token.locationId}&limit=10`, {
      headers: { Authorization: `Bearer ${token.token}`, Version: '2021-07-28' },
    }),
  )
  expect(res.status).toBe(200)
  const body = (await res.json()) as { contacts: unknown[] }
  expect(body.contacts).toHaveLength(5)
})
