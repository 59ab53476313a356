/**
 * The API reference and the QA console in a real browser: headless Chromium (Debian's
 * package, see scripts/ensure-chromium.sh) driven by playwright-core. Screenshots go to
 * test-artifacts/ (gitignored). Run with `npm run test:browser`.
 *
 * API requests go out with curl, as a QA engineer would send them, through an async
 * child process: the mock runs in this process, so a blocking exec would starve it.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { type MockServer, type ServerOptions, startMockServer } from '../../mock/server.ts'
import { T0, VERSION } from '../support/mock.ts'
import { type Receiver, startReceiver } from '../support/receiver.ts'

const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim()
/** Scalar probes whether `new Function` works (and falls back when not); our CSP says no, by design. */
const SCALAR_EVAL_PROBE = /script-src/

let browser: Browser
const servers: MockServer[] = []
const downloads = mkdtempSync(join(tmpdir(), 'ghl-browser-'))

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
})
afterAll(async () => {
  await browser?.close()
  for (const s of servers) s.app.state.webhooks.close()
  await Promise.all(servers.map((s) => s.close()))
  rmSync(downloads, { recursive: true, force: true })
})

async function mock(options: ServerOptions = {}) {
  const server = await startMockServer({ port: 0, contacts: 10, clock: createClock({ start: T0, frozen: true }), ...options })
  servers.push(server)
  const [first] = server.app.state.defaultTokens
  return { server, token: first.token, locationId: first.locationId }
}

/** A page that records every request leaving for another origin and every page error. */
async function open(server: MockServer, path: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
  const page = await context.newPage()
  const foreign: string[] = []
  const errors: string[] = []
  page.on('request', (r) => {
    const url = r.url()
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== server.url) foreign.push(url)
  })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    // CSP refusals show up here: a page that tried to reach another origin fails the test too.
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(server.url + path)
  return { page, foreign, errors }
}

async function openConsole(server: MockServer) {
  const opened = await open(server, '/__mock/ui')
  await opened.page.getByTestId('journal-live').filter({ hasText: 'live' }).waitFor()
  await opened.page.getByTestId('token').first().waitFor()
  return opened
}

const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage })

async function curl(url: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const args = ['-s', '-w', '\n%{http_code}', '-H', `Authorization: Bearer ${token}`, '-H', `Version: ${VERSION}`]
  if (init.method) args.push('-X', init.method)
  if (init.body !== undefined) args.push('-H', 'Content-Type: application/json', '--data', JSON.stringify(init.body))
  const { stdout } = await promisify(execFile)('curl', [...args, url], { encoding: 'utf8' })
  const lines = stdout.split('\n')
  const status = Number(lines.pop())
  return { status, body: JSON.parse(lines.join('\n')) }
}

describe('API reference (/docs)', () => {
  it('renders all 32 Contacts operations from the mock alone, nothing from other origins', async () => {
    const { server } = await mock()
    const { page, foreign, errors } = await open(server, '/docs')
    const operations = server.app.state.spec.operations.filter((op) => op.api === 'contacts')
    expect(operations).toHaveLength(32)
    // Scalar gives each operation a section whose id ends in METHOD/path; every tag is open (defaultOpenAllTags).
    for (const op of operations) {
      await page.locator(`section[id$="/${op.method.toUpperCase()}${op.path}"]`).first().waitFor({ state: 'attached' })
    }
    const summary = String(server.app.state.spec.documents.find((d) => d.name === 'contacts')!.doc.paths['/contacts/search'].post.summary)
    await page.getByRole('heading', { name: summary, exact: true }).first().waitFor()
    // The reference is tens of thousands of pixels tall with every tag open: the first screen says enough.
    await shot(page, 'docs', false)
    expect(foreign).toEqual([])
    expect(errors.filter((e) => !SCALAR_EVAL_PROBE.test(e))).toEqual([])
    await page.context().close()
  })
})

describe('QA console (/__mock/ui)', () => {
  it('loads with zero requests to other origins and lists the locations with their ready tokens', async () => {
    const { server, token } = await mock()
    const { page, foreign, errors } = await openConsole(server)
    expect(await page.getByTestId('token').filter({ hasText: token }).count()).toBe(1)
    await shot(page, 'console')
    expect(foreign).toEqual([])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('a request made with curl appears in the live journal', async () => {
    const { server, token, locationId } = await mock()
    const { page } = await openConsole(server)
    const res = await curl(`${server.url}/contacts/?locationId=${locationId}&limit=3`, token)
    expect(res.status).toBe(200)
    const row = page.getByTestId('journal-row').filter({ hasText: 'get-contacts' })
    await row.waitFor()
    expect(await row.textContent()).toContain('200')
    await shot(page, 'console-journal')
    await page.context().close()
  })

  it('the journal filters show the rows GET /__mock/requests gives for the same filters, and a filter it refuses says so', async () => {
    const { server, token, locationId } = await mock()
    const { page } = await openConsole(server)
    const list = await curl(`${server.url}/contacts/?locationId=${locationId}&limit=1`, token)
    expect((await curl(`${server.url}/contacts/${list.body.contacts[0].id}`, token)).status).toBe(200)
    const rows = () => page.getByTestId('journal-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))
    /** The control API's answer, newest first and without its own calls and the pages', as the console lists it. */
    const served = async (query: string) => {
      const { requests } = (await (await fetch(`${server.url}/__mock/requests?${query}`)).json()) as {
        requests: Array<{ id: number; path: string; app?: string }>
      }
      return requests
        .filter((e) => !e.path.startsWith('/__mock') && !/^\/(docs|openapi\/|favicon\.ico$)/.test(e.path))
        .map((e) => e.id)
        .reverse()
    }
    // get-contact is a prefix of get-contacts, and the app filter gets part of an app id: exact matches only, as the control API documents.
    await page.getByTestId('filter-operation').fill('get-contact')
    const one = await served('operationId=get-contact')
    expect(one).toHaveLength(1)
    await expect.poll(rows).toEqual(one)
    await page.getByTestId('filter-operation').fill('')
    const [entry] = (await (await fetch(`${server.url}/__mock/requests?operationId=get-contact`)).json()).requests
    await page.getByTestId('filter-app').fill(entry.app.slice(0, 6))
    expect(await served(`app=${entry.app.slice(0, 6)}`)).toEqual([])
    await expect.poll(rows).toEqual([])
    await page.getByTestId('filter-app').fill(entry.app)
    await expect.poll(rows).toEqual(await served(`app=${encodeURIComponent(entry.app)}`))
    expect(await rows()).toHaveLength(2)
    await page.getByTestId('filter-status').fill('2')
    await page.getByTestId('journal-live').filter({ hasText: 'filter refused' }).waitFor()
    expect(await page.getByTestId('status').textContent()).toMatch(/journal filter: .*422/)
    await page.context().close()
  })

  it('a fault rule added from the console makes the next API request fail as configured', async () => {
    const { server, token, locationId } = await mock()
    const { page } = await openConsole(server)
    await page.getByTestId('fault-operation').fill('get-contacts')
    await page.getByTestId('fault-status').fill('503')
    await page.getByTestId('fault-times').fill('1')
    await page.getByTestId('fault-add').click()
    await page.getByTestId('fault-row').filter({ hasText: 'operationId=get-contacts' }).waitFor()
    const url = `${server.url}/contacts/?locationId=${locationId}&limit=1`
    const failed = await curl(url, token)
    expect(failed.status).toBe(503)
    expect(failed.body.statusCode).toBe(503)
    expect((await curl(url, token)).status).toBe(200)
    // The journal shows the injected fault.
    await page.getByTestId('journal-row').filter({ hasText: '503' }).waitFor()
    await shot(page, 'console-fault')
    await page.context().close()
  })

  it('advancing the clock from the console reopens a rate-limit window', async () => {
    const { server, token, locationId } = await mock({ rateLimit: { burst: 2, windowMs: 10_000, daily: 1000 } })
    const { page } = await openConsole(server)
    const url = `${server.url}/contacts/?locationId=${locationId}&limit=1`
    expect((await curl(url, token)).status).toBe(200)
    expect((await curl(url, token)).status).toBe(200)
    expect((await curl(url, token)).status).toBe(429)
    const budget = page.locator(`[data-testid="limit-row"][data-resource="${locationId}"]`).getByTestId('burst-remaining')
    await expect.poll(() => budget.textContent()).toBe('0 / 2')
    await page.getByTestId('clock-advance-input').fill('10s')
    await page.getByTestId('clock-advance').click()
    await expect.poll(() => page.getByTestId('clock-now').textContent()).toBe(new Date(T0 + 10_000).toISOString())
    await expect.poll(() => budget.textContent()).toBe('2 / 2')
    expect((await curl(url, token)).status).toBe(200)
    await shot(page, 'console-clock')
    await page.context().close()
  })

  it('shows webhook deliveries with their attempts, and redelivers one', async () => {
    const rx: Receiver = await startReceiver()
    try {
      rx.respond = [500]
      const { server, token, locationId } = await mock({ webhooks: [rx.url] })
      const { page } = await openConsole(server)
      await curl(`${server.url}/contacts/`, token, { method: 'POST', body: { locationId, firstName: 'Hook' } })
      await page.getByTestId('webhooks-flush').click()
      const row = page.getByTestId('webhook-row').filter({ hasText: 'ContactCreate' })
      await expect.poll(() => row.getByTestId('webhook-state').textContent()).toBe('failed')
      expect(await row.getByTestId('webhook-attempts').textContent()).toContain('500')
      await row.getByTestId('webhook-redeliver').click()
      await page.getByTestId('webhooks-flush').click()
      await expect.poll(() => row.getByTestId('webhook-state').textContent()).toBe('delivered')
      expect(await row.getByTestId('webhook-attempts').textContent()).toMatch(/500 · .*200/)
      expect(rx.received.map((r) => JSON.parse(r.raw.toString()).webhookId)).toEqual([
        (await row.getAttribute('data-webhook-id'))!,
        (await row.getAttribute('data-webhook-id'))!,
      ])
      await shot(page, 'console-webhooks')
      await page.context().close()
    } finally {
      await rx.close()
    }
  })

  it('a state saved from one console and loaded into a fresh mock from another gives identical reads', async () => {
    const a = await mock({ seed: 'bug-42' })
    // History worth saving: a new contact and a fault rule.
    const created = await curl(`${a.server.url}/contacts/`, a.token, {
      method: 'POST',
      body: { locationId: a.locationId, firstName: 'Ada', email: 'ada@example.com' },
    })
    expect(created.status).toBe(201)
    const first = await openConsole(a.server)
    const [download] = await Promise.all([first.page.waitForEvent('download'), first.page.getByTestId('state-save').click()])
    const file = join(downloads, 'state.json')
    await download.saveAs(file)
    await first.page.context().close()

    const b = await mock({ seed: 'fresh' })
    const second = await openConsole(b.server)
    await second.page.getByTestId('state-load').setInputFiles(file)
    await second.page.getByTestId('status').filter({ hasText: 'load state: done' }).waitFor()
    await second.page.getByTestId('token').filter({ hasText: a.token }).waitFor()
    await shot(second.page, 'console-state-loaded')
    await second.page.context().close()

    const id = created.body.contact.id
    for (const path of [`/contacts/?locationId=${a.locationId}&limit=100`, `/contacts/${id}`, `/contacts/${id}/tasks`]) {
      expect(await curl(b.server.url + path, a.token)).toEqual(await curl(a.server.url + path, a.token))
    }
    expect((await curl(`${b.server.url}/contacts/${id}`, a.token)).body.contact.firstName).toBe('Ada')
  })
})
