/** The mock on a real socket: startMockServer, plain fetch, clean shutdown, the CLI. */
import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../mock/server.ts'
import { cliCommand } from '../support/cli.ts'

const run = promisify(execFile)
let server: MockServer

beforeAll(async () => {
  server = await startMockServer({ port: 0, selfCheck: true })
})
afterAll(async () => {
  await server.close()
})

describe('listening server', () => {
  it('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves a create → read round trip over HTTP', async () => {
    const token = server.app.state.defaultTokens[0]
    const headers = { Authorization: `Bearer ${token.token}`, Version: '2021-07-28', 'Content-Type': 'application/json' }
    const created = await fetch(`${server.url}/contacts/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ locationId: token.locationId, firstName: 'Socket', lastName: 'Test', email: 'socket@example.com' }),
    })
    expect(created.status).toBe(201)
    const { contact } = await created.json()
    const read = await fetch(`${server.url}/contacts/${contact.id}`, { headers })
    expect(read.status).toBe(200)
    expect((await read.json()).contact).toMatchObject({ id: contact.id, firstName: 'Socket', emailLowerCase: 'socket@example.com' })
    expect(server.app.state.selfCheckFailures).toEqual([])
  })

  it('closes cleanly, even with keep-alive connections open', async () => {
    const other = await startMockServer({ port: 0 })
    await fetch(`${other.url}/__mock/health`, { headers: { Connection: 'keep-alive' } })
    await other.close()
    await expect(fetch(`${other.url}/__mock/health`)).rejects.toThrow()
  })
})

describe('ghl-mock CLI', () => {
  it('--help explains the command and its options', async () => {
    const { stdout } = await run(process.execPath, [...cliCommand, 'start', '--help'])
    for (const flag of ['--port', '--host', '--seed', '--locations', '--contacts']) expect(stdout).toContain(flag)
  })

  it('starts, prints the base URL, tokens and a working curl line, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...cliCommand, '--port', '0', '--seed', '5'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.setEncoding('utf8')
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        out += chunk
        if (out.includes('Ctrl-C')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)))
    })
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]
    const curl = /curl -s -H "Authorization: Bearer (\S+)" -H "Version: (\S+)" "([^"]+)"/.exec(out)!
    expect(curl[1]).toMatch(/^pit-/)
    const res = await fetch(curl[3], { headers: { Authorization: `Bearer ${curl[1]}`, Version: curl[2] } })
    expect(res.status).toBe(200)
    expect(curl[3].startsWith(url)).toBe(true)
    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
  })

  it('rejects a bad option with a clear message and exit code 1', async () => {
    const err = await run(process.execPath, [...cliCommand, 'start', '--port', 'abc']).catch((e) => e)
    expect(err.code).toBe(1)
    expect(err.stderr).toMatch(/port must be a whole number/)
  })
})

describe('options that cannot go together', () => {
  it('--state with --store redis:// is refused before anything connects: the file would load into one instance only', async () => {
    await expect(startMockServer({ port: 0, store: 'redis://127.0.0.1:9/0', stateFile: '/nonexistent.json' })).rejects.toThrow(
      /--state cannot be used with --store redis:\/\/.*PUT \/__mock\/state/,
    )
  })
})
