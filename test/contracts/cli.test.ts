/** The kit's CLI commands as CI runs them: exit codes, readable output, JSON and JUnit files. */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { failures, formatText } from '../../contracts/report.ts'
import { verifyProvider } from '../../contracts/verify.ts'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { cliCommand } from '../support/cli.ts'

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [...cliCommand, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  )
const dir = mkdtempSync(join(tmpdir(), 'ghl-mock-reports-'))
let server: MockServer

beforeAll(async () => {
  server = await startMockServer({ port: 0, strict: true })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('ghl-mock verify / report / drift', () => {
  it('verify passes against the mock and writes JSON and JUnit reports', async () => {
    const r = await run(['verify', '--target', server.url, '--report', join(dir, 'conformance')])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/)
    expect(JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')).failed).toBe(0)
    expect(readFileSync(join(dir, 'conformance.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<testsuites name="Provider conformance/)
  })

  it('report exits 1 once strict mode has seen a violation, 0 when clean', async () => {
    await fetch(`${server.url}/__mock/contract/violations`, { method: 'DELETE' })
    expect((await run(['report', '--target', server.url])).code).toBe(0)
    await fetch(`${server.url}/contacts/abc/appointments`, { method: 'POST' })
    const r = await run(['report', '--target', server.url, '--report', join(dir, 'consumer')])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/unknown-endpoint[\s\S]*POST \/contacts\/abc\/appointments → 404/)
    expect(readFileSync(join(dir, 'consumer.xml'), 'utf8')).toMatch(/<failure/)
  })

  it('report against a mock not in strict mode fails with a clear message (a misconfigured CI job must not pass)', async () => {
    const loose = await startMockServer({ port: 0 })
    try {
      const r = await run(['report', '--target', loose.url])
      expect(r.code).toBe(1)
      expect(r.stdout).not.toMatch(/no violations/)
      expect(r.stderr).toMatch(/^ghl-mock: .*not in strict mode.*--strict/)
    } finally {
      await loose.close()
    }
  })

  it('verify and report reach a mock started with --admin-token when given it, and say what to pass when not', { timeout: 60_000 }, async () => {
    const guarded = await startMockServer({ port: 0, strict: true, control: { adminToken: 's3cret' } })
    try {
      const refused = await run(['report', '--target', guarded.url])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/^ghl-mock: .*401.*--admin-token/)
      expect((await run(['report', '--target', guarded.url, '--admin-token', 's3cret'])).code).toBe(0)
      await expect(verifyProvider({ target: guarded.url })).rejects.toThrow(/401.*--admin-token/)
      const verified = await verifyProvider({ target: guarded.url, adminToken: 's3cret' })
      expect(verified.mock).toBe(true)
      expect(failures(verified), formatText(verified)).toEqual([])
    } finally {
      await guarded.close()
    }
  })

  const upstream = fileURLToPath(new URL('../../../shared/upstream/apps/contacts.json', import.meta.url))
  it.skipIf(!existsSync(upstream))('drift exits 0 against the vendor spec (allow-list applied)', async () => {
    const r = await run(['drift', '--upstream', upstream])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/0 unexpected/)
  })

  it('a bad target is a clear error, not a stack trace', async () => {
    const r = await run(['report', '--target', 'http://127.0.0.1:1'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^ghl-mock: /)
  })
})
