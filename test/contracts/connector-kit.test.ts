/**
 * What a connector builds on, end to end through the harness: `authorize` (the consent
 * page) and the client's `exchangeAuthorizationCode` and `createOAuthClient` (the install
 * and refreshed tokens); `createContactTriggers` on the harness's own receiver (verified,
 * re-read, filtered, retried with a 429, handled once); setup's writes sending nothing.
 */
import { describe, expect, it } from 'vitest'
import { runConnectorHarness, type ConnectorContext, type HarnessOptions } from '../../contracts/harness.ts'
import { authorize } from '../../contracts/harness-install.ts'
import { failures, formatText } from '../../contracts/report.ts'
import { createContactTriggers, createOAuthClient, exchangeAuthorizationCode, TokenRefreshError, type Contact, type GhlClient } from '../../client/index.ts'
import type { MockState } from '../../mock/state.ts'

async function install(ctx: ConnectorContext): Promise<{ ghl: GhlClient; locationId: string }> {
  const { code, redirectUri, ...app } = await authorize(ctx)
  const api = { baseUrl: ctx.baseUrl, now: ctx.now }
  const { tokens, locationId } = await exchangeAuthorizationCode({ ...api, ...app, redirectUri, code })
  // A code is good for one exchange.
  await expect(exchangeAuthorizationCode({ ...api, ...app, redirectUri, code })).rejects.toBeInstanceOf(TokenRefreshError)
  expect(locationId).toBe(ctx.locationId)
  return { ghl: createOAuthClient({ ...api, ...app, tokens, sleep: ctx.sleep }), locationId: locationId! }
}

async function expectPass(options: HarnessOptions) {
  const report = await runConnectorHarness(options)
  expect(failures(report), formatText(report)).toEqual([])
  return report
}

const getContacts = (state: MockState) => state.journal.list().filter((e) => e.operationId === 'get-contact')

describe('the install: authorize, exchangeAuthorizationCode, createOAuthClient', () => {
  it('tokens bound to the location, refreshed at the token endpoint when they expire', async () => {
    await expectPass({
      scenarios: ['token-expiry'],
      connector: async (ctx) => {
        const { ghl, locationId } = await install(ctx)
        const first = ghl.tokens()!
        await ctx.sleep(5 * 60_000)
        const { contacts } = await ghl.contacts.list({ locationId, limit: 1 })
        expect(contacts).toHaveLength(1)
        expect(ghl.tokens()!.accessToken).not.toBe(first.accessToken)
        expect(ghl.tokens()!.refreshToken).not.toBe(first.refreshToken)
      },
      check: (state) =>
        expect(
          state.journal
            .list()
            .filter((e) => e.path === '/oauth/token')
            .map((e) => e.status),
        ).toEqual([200, 400, 200]),
    })
  })
})

describe('createOAuthClient', () => {
  it('refreshes through the fetch it was given, like its API calls (a proxy, an in-process app)', async () => {
    await expectPass({
      scenarios: ['token-expiry'],
      connector: async (ctx) => {
        const { code, redirectUri, ...app } = await authorize(ctx)
        const { tokens, locationId } = await exchangeAuthorizationCode({ baseUrl: ctx.baseUrl, now: ctx.now, ...app, redirectUri, code })
        const paths: string[] = []
        const viaGateway = (input: string, init: RequestInit) => {
          paths.push(new URL(input).pathname)
          return globalThis.fetch(input.replace('http://gateway.invalid', ctx.baseUrl), init)
        }
        const ghl = createOAuthClient({ ...app, tokens, baseUrl: 'http://gateway.invalid', now: ctx.now, sleep: ctx.sleep, fetch: viaGateway })
        await ctx.sleep(5 * 60_000)
        const { contacts } = await ghl.contacts.list({ locationId: locationId!, limit: 1 })
        expect(contacts).toHaveLength(1)
        expect(paths).toContain('/oauth/token')
      },
    })
  })
})

describe('createContactTriggers on the harness receiver', () => {
  let handledIds: string[] = []
  let seen: Array<{ contact: Contact; type: string }> = []
  let failNext = 0

  async function start(ctx: ConnectorContext) {
    const { ghl } = await install(ctx)
    seen = []
    handledIds = []
    const triggers = createContactTriggers({
      ghl,
      publicKey: ctx.webhooks.publicKey,
      now: ctx.now,
      wants: (event) => (event.tags ?? []).includes('watched'),
      onContact: (contact, event) => {
        if (failNext > 0 && failNext--) throw new Error('the other side is down')
        seen.push({ contact, type: event.type })
      },
      onHandled: (id) => handledIds.push(id),
    })
    ctx.webhooks.receive(triggers.node)
  }
  const handled = () => handledIds

  it('hands over the contact as it is now, once per event; skips what `wants` refuses without a request; setup sends nothing', async () => {
    let before = ''
    await expectPass({
      scenarios: [
        {
          name: 'duplicates',
          setup: async (mock) => {
            before = (await mock.app.state.store.createContact(mock.defaultToken.locationId, { firstName: 'Before', tags: ['watched'] })).id
            mock.app.state.faults.add({ match: { webhook: true }, action: { duplicate: true } })
          },
        },
      ],
      webhook: { handled },
      connector: async (ctx) => {
        await start(ctx)
        const store = ctx.mock.app.state.store
        const ada = await store.createContact(ctx.locationId, { firstName: 'Ada', tags: ['watched'] })
        await store.createContact(ctx.locationId, { firstName: 'Bystander', tags: ['other'] })
        // Renamed before the first webhook went out: both deliveries read the new name.
        await store.updateContact(ada.id, { firstName: 'Ada L' })
        await ctx.webhooks.settle()
        expect(seen.map((s) => [s.type, s.contact.firstName])).toEqual([
          ['ContactCreate', 'Ada L'],
          ['ContactUpdate', 'Ada L'],
        ])
        expect(seen.some((s) => s.contact.id === before)).toBe(false)
      },
      check: (state) => {
        expect(getContacts(state)).toHaveLength(2)
        expect(state.webhooks.deliveries().every((d) => d.attempts.length === 2)).toBe(true)
      },
    })
  })

  it('a failing onContact answers 429 and the retry is handled; a deleted contact and a bad signature are not handed over', async () => {
    await expectPass({
      scenarios: [
        { name: 'bad signature', setup: (mock) => void mock.app.state.faults.add({ match: { event: 'ContactTagUpdate' }, action: { badSignature: true } }) },
      ],
      webhook: { handled },
      connector: async (ctx) => {
        await start(ctx)
        const store = ctx.mock.app.state.store
        failNext = 1
        const ada = await store.createContact(ctx.locationId, { firstName: 'Ada', tags: ['watched'] })
        await ctx.webhooks.flush()
        expect(seen).toEqual([])
        await ctx.webhooks.settle()
        expect(seen.map((s) => s.contact.id)).toEqual([ada.id])
        await store.updateContact(ada.id, { tags: ['watched', 'more'] })
        const gone = await store.createContact(ctx.locationId, { firstName: 'Gone', tags: ['watched'] })
        await store.deleteContact(gone.id)
        await ctx.webhooks.settle()
        expect(seen.map((s) => s.contact.id)).toEqual([ada.id])
      },
      check: (state) => {
        const [create] = state.webhooks.deliveries({ type: 'ContactCreate' })
        expect(create?.attempts.map((a) => a.status)).toEqual([429, 200])
        expect(state.webhooks.deliveries({ type: 'ContactTagUpdate' }).map((d) => d.attempts.map((a) => a.status))).toEqual([[401]])
      },
    })
  })

  it('ctx.webhooks.receive without the harness webhook option says what to pass', async () => {
    const report = await runConnectorHarness({ scenarios: ['clean'], connector: async (ctx) => ctx.webhooks.receive(() => undefined) })
    expect(report.results[0]).toMatchObject({ ok: false, details: [expect.stringMatching(/pass `webhook: \{\}`/)] })
  })
})
