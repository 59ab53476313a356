// Plain node, no test runner, no TypeScript: start the mock, call it, stop it.
import { startMockServer } from 'ghl-contacts-mock'
import { createGhlClient } from 'ghl-contacts-mock/client'

const mock = await startMockServer({ port: 0 })
try {
  const { token, locationId } = mock.defaultToken
  const ghl = createGhlClient({ baseUrl: mock.url, token })
  const { contact } = await ghl.contacts.upsert({ locationId, email: 'smoke@example.com' })
  console.log(`upserted ${contact.id} on ${mock.url}`)
} finally {
  await mock.close()
}
