/**
 * Our mock in its own process, for the benchmark: run from the repo root with
 * `node bench/servers/mock.js [--contacts N] [--locations N] [--rate-limit SPEC] [--store URL --namespace NAME]`, or
 * `node --import tsx bench/servers/mock.js --source`.
 * Default options otherwise (auth, validation, journal on). It runs the compiled build in
 * dist/, as the `ghl-mock` command does (the bench builds it first), with no loader in
 * between: plain JavaScript, because tsx's hooks would also see every module of dist/ and
 * add ~0.3 s to the start time the bench measures. `--source` runs the TypeScript through
 * tsx instead, as `npm start` and the tests do. Once listening it
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

const from = values.source ? '../../mock' : '../../dist/mock'
const ext = values.source ? 'ts' : 'js'
/** @type {typeof import('../../mock/server.ts')} */
const { startMockServer } = await import(`${from}/server.${ext}`)
/** @type {typeof import('../../mock/limits/policy.ts')} */
const { parseRateLimit } = await import(`${from}/limits/policy.${ext}`)
/** @type {typeof import('../../mock/seed/generate.ts')} */
const { createSeeder } = await import(`${from}/seed/generate.${ext}`)

// Shared with the mock, so the first contact below comes from the pools its seed already built.
const seeder = createSeeder()
const server = await startMockServer({
  host: '127.0.0.1',
  seeder,
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
const [first] = seeder.seedWorld({ seed: state.options.seed, locations: 1, contacts: 1 }).contacts
const contact = (await state.store.getContact(first.id)) ?? (await state.store.listContacts(token.locationId, { limit: 1 })).contacts[0]
console.log(`READY ${JSON.stringify({ url: server.url, token: token.token, locationId: token.locationId, contactId: contact.id })}`)
