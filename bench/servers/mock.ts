/**
 * Our mock in its own process, for the benchmark: run from the repo root with
 * `node --import tsx bench/servers/mock.ts [--contacts N] [--locations N] [--rate-limit SPEC]`.
 * Default options otherwise (auth, validation, journal on). Once listening it prints one
 * line, `READY {json}`, with what a load generator needs: base URL, a token and a contact.
 */
import { parseArgs } from 'node:util'
import { startMockServer } from '../../mock/server.ts'
import { parseRateLimit } from '../../mock/limits/policy.ts'

const { values } = parseArgs({
  options: {
    contacts: { type: 'string' },
    locations: { type: 'string' },
    'rate-limit': { type: 'string' },
  },
})

const server = await startMockServer({
  host: '127.0.0.1',
  port: 0,
  handleSignals: true,
  contacts: values.contacts === undefined ? undefined : Number(values.contacts),
  locations: values.locations === undefined ? undefined : Number(values.locations),
  rateLimit: values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']),
})
const token = server.app.state.defaultTokens[0]
const [contact] = (await server.app.state.store.listContacts(token.locationId!, { limit: 1 })).contacts
console.log(`READY ${JSON.stringify({ url: server.url, token: token.token, locationId: token.locationId, contactId: contact.id })}`)
