// The connector through the kit's harness: a fresh mock per scenario, strict mode,
// the duplicate finder, and a check of the final data.
import { expectConnectorToPass } from 'ghl-contacts-mock/harness'
import { expect, it } from 'vitest'
import { syncMembers } from '../src/connector.js'

const members = [{ email: 'lin@example.com', firstName: 'Lin' }]

it('survives a flaky and a rate-limited API', async () => {
  await expectConnectorToPass({
    scenarios: ['clean', 'flaky', 'rate-limited'],
    connector: async (ctx) => {
      await syncMembers({ baseUrl: ctx.baseUrl, token: ctx.token, locationId: ctx.locationId, now: ctx.now, sleep: ctx.sleep }, members)
    },
    check: async (state, ctx) => {
      const { contacts } = await state.store.listContacts(ctx.locationId, { limit: 1000 })
      expect(contacts.filter((c) => c.email === 'lin@example.com')).toHaveLength(1)
    },
  })
})
