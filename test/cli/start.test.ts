/** `ghl-mock start`: the banner says how the mock is set up; listening beyond loopback warns loudly. */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createClock } from '../../mock/clock.ts'
import { createMockApp } from '../../mock/app.ts'
import { exposureWarning, reachableUrls, startBanner } from '../../cli/banner.ts'
import { T0 } from '../support/mock.ts'

/** Runs `ghl-mock start ...` until `until` shows on stdout, then stops it with SIGTERM. */
function start(args: string[], until: RegExp): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/run.ts', 'start', '--port', '0', ...args])
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGTERM')
      reject(new Error(`no ${until} in:\n${stdout}\n${stderr}`))
    }, 20_000)
    child.stderr.on('data', (d) => (stderr += d))
    child.stdout.on('data', (d) => {
      stdout += d
      if (until.test(stdout)) child.kill('SIGTERM')
    })
    child.on('exit', () => {
      clearTimeout(timer)
      resolve({ stdout, stderr })
    })
  })
}

const interfaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' }],
  eth0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: '192.168.1.20/24' },
    { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: 'fe80::1/64', scopeid: 2 },
  ],
} as const

describe('where the mock can be reached', () => {
  it('a wildcard host lists loopback and the machine’s IPv4 addresses, never 0.0.0.0', () => {
    expect(reachableUrls('0.0.0.0', 4010, interfaces as any)).toEqual(['http://127.0.0.1:4010', 'http://192.168.1.20:4010'])
    expect(reachableUrls('::', 4010, interfaces as any)).toEqual(['http://127.0.0.1:4010', 'http://192.168.1.20:4010'])
    expect(reachableUrls('127.0.0.1', 4010, interfaces as any)).toEqual(['http://127.0.0.1:4010'])
    expect(reachableUrls('::1', 4010)).toEqual(['http://[::1]:4010'])
  })

  it('warns only beyond loopback, naming the unauthenticated control API', () => {
    expect(exposureWarning('127.0.0.1', ['http://127.0.0.1:4010'])).toEqual([])
    expect(exposureWarning('localhost', ['http://localhost:4010'])).toEqual([])
    const lines = exposureWarning('0.0.0.0', ['http://127.0.0.1:4010', 'http://192.168.1.20:4010']).join('\n')
    expect(lines).toMatch(/WARNING[\s\S]*control API \(\/__mock\/\*\) has NO authentication[\s\S]*http:\/\/192\.168\.1\.20:4010\/__mock\/tokens/)
    expect(lines).not.toMatch(/0\.0\.0\.0:/)
  })

  it('the CLI prints the warning on stderr and a usable URL, not http://0.0.0.0', async () => {
    const { stdout, stderr } = await start(['--host', '0.0.0.0', '--unsafe-open-control', '--quiet'], /http:/)
    expect(stdout.trim()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(stderr).toMatch(/WARNING: ghl-mock is listening on every network interface[\s\S]*NO authentication/)
  })
})

describe('start banner', () => {
  it('shows the active scenarios, limits, fault rules, clock and strict mode', async () => {
    const app = await createMockApp({
      locations: 1,
      contacts: 1,
      scenarios: ['flaky'],
      rateLimit: { burst: 5, windowMs: 10_000, daily: 1000 },
      strict: true,
      clock: createClock({ start: T0, frozen: true }),
    })
    const text = (await startBanner(app.state, ['http://127.0.0.1:4010'])).join('\n')
    expect(text).toMatch(/scenarios +flaky\n/)
    expect(text).toMatch(/rate limits +5 requests per 10 s and 1000 per day, per app per location\n/)
    expect(text).toMatch(/fault rules +flaky-502, flaky-503/)
    expect(text).toMatch(/clock +frozen at 2026-01-15T12:00:00\.000Z/)
    expect(text).toMatch(/strict mode +on/)
  })

  it('ghl-mock start prints it (defaults: no scenario, the real limits, real time)', async () => {
    const { stdout, stderr } = await start(['--contacts', '1', '--locations', '1'], /Ctrl-C/)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\n/)
    expect(stdout).toMatch(/scenarios +none\n/)
    expect(stdout).toMatch(/rate limits +100 requests per 10 s and 200000 per day/)
    expect(stdout).toMatch(/clock +real time/)
  })
})

describe('ghl-mock start --state <file>', () => {
  it('starts from a saved state, and a bad file stops the start with every problem', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { exportState } = await import('../../mock/state-file.ts')
    const dir = mkdtempSync(join(tmpdir(), 'ghl-cli-state-'))
    try {
      const saved = await exportState((await createMockApp({ seed: 'ticket-9', contacts: 2, clock: createClock({ start: T0, frozen: true }) })).state)
      const good = join(dir, 'good.json')
      writeFileSync(good, JSON.stringify(saved))
      const { stdout } = await start(['--state', good], /Ctrl-C stops/)
      expect(stdout).toContain(saved.defaultTokens[0])
      expect(stdout).toContain(new Date(T0).toISOString())

      const bad = join(dir, 'bad.json')
      writeFileSync(bad, JSON.stringify({ ...saved, version: 2, defaultTokens: ['pit-nowhere'] }))
      const refused = await start(['--state', bad], /Ctrl-C stops/)
      expect(refused.stdout).not.toContain('Ctrl-C stops')
      expect(refused.stderr).toMatch(/bad\.json is invalid/)
      expect(refused.stderr).toMatch(/version/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
