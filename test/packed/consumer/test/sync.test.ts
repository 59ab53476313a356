// The connector against the shared mock from global-setup.ts.
import { createGhlClient } from 'ghl-contacts-mock/client'
import { expect, inject, it } from 'vitest'
import { syncMembers } from '../src/connector.js'

it('creates each member once, tagged', async () => {
  const ghl = inject('ghl')
  const members = [
    { email: 'ada@example.com', firstName: 'Ada' },
    { email: 'grace@example.com', firstName: 'Grace' },
  ]
  const first = await syncMembers(ghl, members)
  const again = await syncMembers(ghl, members)
  expect(again).toEqual(first)

  const client = createGhlClient({ baseUrl: ghl.baseUrl, token: ghl.token })
  const { contact } = await client.contacts.get(first[0]!)
  expect(contact?.tags).toContain('member')
})
