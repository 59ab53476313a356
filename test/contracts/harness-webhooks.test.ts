/**
 * The harness with webhooks: a connector that mirrors contact tags from ContactTagUpdate
 * webhooks passes under duplicates, reordering and bad signatures when it verifies,
 * deduplicates and re-reads the contact; each planted break fails its own check.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConnectorHarness, type ConnectorContext, type HarnessScenario } from '../../contracts/harness.ts'
import { failures, formatText } from '../../contracts/report.ts'
import { createWebhookHandler, type WebhookEvent } from '../../client/index.ts'
import type { MockServer } from '../../mock/server.ts'

type Mode = 'good' | 'no-dedupe' | 'trust-payload' | 'no-verify'

let server: Server
let url: string
let receive: (raw: Buffer, headers: Record<string, string>) => Promise<number> = async () => 200

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', async () => res.writeHead(await receive(Buffer.concat(chunks), req.headers as Record<string, string>)).end())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

/** A tag mirror: what the connector believes each contact's tags are, kept up to date by webhooks. */
function tagMirror(mode: Mode) {
  const mirror = new Map<string, string[]>()
  let handled: string[] = []
  let contactId = ''
  const connector = async (ctx: ConnectorContext) => {
    mirror.clear()
    handled = []
    const headers = { Authorization: `Bearer ${ctx.token}`, Version: ctx.version, 'Content-Type': 'application/json' }
    const onEvent = async (e: WebhookEvent) => {
      handled.push(e.webhookId)
      if (e.type !== 'ContactTagUpdate') return
      if (mode === 'trust-payload') return void mirror.set(e.id, e.tags ?? [])
      // Order-safe: the webhook says "something changed"; the API says what is true now.
      const res = await fetch(`${ctx.baseUrl}/contacts/${e.id}`, { headers })
      mirror.set(e.id, (await res.json()).contact.tags)
    }
    const verified = createWebhookHandler({ publicKey: ctx.webhooks.publicKey, now: ctx.now, onEvent })
    receive = async (raw, h) => {
      if (mode === 'good' || mode === 'trust-payload') return (await verified.handle(raw, h)).status
      const body = JSON.parse(raw.toString())
      if (mode === 'no-verify' && (await verified.handle(raw, h)).status === 401) {
        await onEvent(body)
        return 200
      }
      if (mode === 'no-dedupe') {
        await onEvent(body)
        return 200
      }
      return (await verified.handle(raw, h)).status
    }
    const create = await fetch(`${ctx.baseUrl}/contacts/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ locationId: ctx.locationId, firstName: 'Mirror' }),
    })
    contactId = (await create.json()).contact.id
    for (const tag of ['a', 'b']) {
      const res = await fetch(`${ctx.baseUrl}/contacts/${contactId}/tags`, { method: 'POST', headers, body: JSON.stringify({ tags: [tag] }) })
      if (!res.ok) throw new Error(`add tag ${res.status}`)
    }
  }
  const check = async (state: import('../../mock/state.ts').MockState) => {
    const truth = (await state.store.getContact(contactId))!.tags
    expect(mirror.get(contactId), 'the mirrored tags').toEqual(truth)
  }
  return { connector, check, handled: () => handled }
}

// Few contacts: these scenarios are about webhooks, and each one starts a fresh mock.
const small = { contacts: 3 }
const clean: HarnessScenario = { name: 'clean', options: small }
const chaos: HarnessScenario = { name: 'webhook-chaos', options: { ...small, scenarios: ['webhook-chaos'] } }
const rules = (name: string, rule: object): HarnessScenario => ({
  name,
  options: small,
  setup: (mock: MockServer) => void mock.app.state.faults.add(rule as any),
})
const reordered = rules('reordered', { match: { event: 'ContactTagUpdate' }, action: { reorder: true }, times: 1 })
const duplicated = rules('duplicated', { match: { webhook: true }, action: { duplicate: true } })
const misSigned = rules('bad-signature', { match: { event: 'ContactTagUpdate' }, action: { badSignature: true }, times: 1 })
const delayed = rules('delayed', { match: { event: 'ContactTagUpdate' }, action: { delay: 3_600_000 }, times: 1 })

const run = (mode: Mode, scenarios: Array<HarnessScenario | string>) => {
  const m = tagMirror(mode)
  return runConnectorHarness({ connector: m.connector, check: m.check, scenarios, webhook: { url, handled: m.handled } })
}
const failed = (report: Awaited<ReturnType<typeof run>>) => failures(report).map((r) => `${r.suite}: ${r.name}`)

describe('connector harness with webhooks', () => {
  it('a verifying, deduplicating, order-safe connector passes every webhook fault', async () => {
    const report = await run('good', [clean, reordered, duplicated, misSigned, delayed, chaos])
    expect(failures(report), formatText(report)).toEqual([])
    expect(report.results.filter((r) => r.suite === 'clean').map((r) => r.name)).toEqual([
      'connector finished',
      'every webhook acknowledged (2xx)',
      'every bad webhook signature refused',
      'every delivered webhook handled once',
      'no contract violation (strict mode)',
      'no duplicate records',
      'final state check',
    ])
  })

  it('each planted break fails its own check', async () => {
    expect(failed(await run('no-dedupe', [clean, duplicated]))).toEqual(['duplicated: every delivered webhook handled once'])
    expect(failed(await run('trust-payload', [clean, reordered]))).toEqual(['reordered: final state check'])
    expect(failed(await run('no-verify', [clean, misSigned]))).toEqual([
      'bad-signature: every bad webhook signature refused',
      'bad-signature: every delivered webhook handled once',
    ])
  })
})
