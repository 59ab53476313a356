/** The kit's CLI commands as CI runs them: exit codes, readable output, JSON and JUnit files. */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
