/**
 * Our mock in its own process, for the benchmark: run from the repo root with
 * `node --import tsx bench/servers/mock.ts [--contacts N] [--locations N] [--rate-limit SPEC] [--source]`.
 * Default options otherwise (auth, validation, journal on). It runs the compiled build in
 * dist/, as the `ghl-mock` command does (the bench builds it first); `--source` runs the
 * TypeScript through tsx instead, as `npm start` and the tests do. Once listening it
 * prints one line, `READY {json}`, with what a load generator needs: base URL, a token
 * and a contact.
 */
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    contacts: { type: 'string' },
    locations: { type: 'string' },
    'rate-limit': { type: 'string' },
    source: { type: 'boolean', default: false },
  },
})

type ServerModule = typeof import('../../mock/server.ts')
type PolicyModule = typeof import('../../mock/limits/policy.ts')
const from = values.source ? '../../mock' : '../../dist/mock'
const ext = values.source ? 'ts' : 'js'
const { startMockServer }: ServerModule = await import(`${from}/server.${ext}`)
const { parseRateLimit }: PolicyModule = await import(`${from}/limits/policy.${ext}`)

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
