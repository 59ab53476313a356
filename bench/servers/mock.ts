/**
 * Our mock in its own process, for the benchmark: run from the repo root with
 * `node --import tsx bench/servers/mock.ts [--contacts N] [--locations N] [--rate-limit SPEC] [--store URL --namespace NAME] [--source]`.
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
    store: { type: 'string' },
    namespace: { type: 'string' },
    source: { type: 'boolean', default: false },
  },
})

type ServerModule = typeof import('../../mock/server.ts')
type PolicyModule = typeof import('../../mock/limits/policy.ts')
type SeedModule = typeof import('../../mock/seed/generate.ts')
const from = values.source ? '../../mock' : '../../dist/mock'
const ext = values.source ? 'ts' : 'js'
const { startMockServer }: ServerModule = await import(`${from}/server.${ext}`)
const { parseRateLimit }: PolicyModule = await import(`${from}/limits/policy.${ext}`)
const { seedWorld }: SeedModule = await import(`${from}/seed/generate.${ext}`)

const server = await startMockServer({
  host: '127.0.0.1',
  port: 0,
  handleSignals: true,
  contacts: values.contacts === undefined ? undefined : Number(values.contacts),
  locations: values.locations === undefined ? undefined : Number(values.locations),
  rateLimit: values['rate-limit'] === undefined ? undefined : parseRateLimit(values['rate-limit']),
  store: values.store,
  namespace: values.namespace,
})
const { state } = server.app
const token = state.defaultTokens[0]
// The first contact of the first location, from the seed itself (a location's contacts do not
// depend on how many there are): a list call here would build the list order, which the first
// list or search pays in real use, and count it in the start time.
const [first] = seedWorld({ seed: state.options.seed, locations: 1, contacts: 1 }).contacts
const contact = (await state.store.getContact(first.id)) ?? (await state.store.listContacts(token.locationId!, { limit: 1 })).contacts[0]
console.log(`READY ${JSON.stringify({ url: server.url, token: token.token, locationId: token.locationId, contactId: contact.id })}`)
