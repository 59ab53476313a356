/**
 * The kit as a connector team gets it: `npm pack`, install the tarball into a fresh project
 * with only typescript, vitest and @types/node beside it, and there type-check strictly
 * (nodenext and bundler, exactOptionalPropertyTypes, noUncheckedIndexedAccess, no
 * skipLibCheck), run the CLI, start the mock from vitest's globalSetup, drive it with the
 * client, run a connector through the harness, and run the CI recipe's steps. No tsx.
 * The project's files are test/packed/consumer/, the same files docs/consumer.md shows.
 */
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docBlocks } from './docs.ts'
import { killGroup, portClosed, spawnServer } from '../support/processes.ts'

const root = resolve(import.meta.dirname, '../..')
const docs = ['docs/consumer.md', 'docs/ci.md']
let dir = ''
let app = ''

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-ec', command], { cwd, env: { ...process.env, ...cleanEnv(), ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

/** The consumer must not see this repository's npm run context (npm_* variables, its node_modules/.bin on PATH). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: (process.env.PATH ?? '')
      .split(':')
      .filter((p) => !p.startsWith(root))
      .join(':'),
  }
  for (const key of Object.keys(process.env)) if (key.startsWith('npm_')) env[key] = undefined
  return env
}

const ok = (r: SpawnSyncReturns<string>) => {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => res(port))
    })
  })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ghl-packed-'))
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', env: { ...process.env, ...cleanEnv() } }),
  )
  renameSync(join(dir, packed[0].filename), join(dir, 'ghl-contacts-mock.tgz'))
  app = join(dir, 'app')
  cpSync(join(root, 'test/packed/consumer'), app, { recursive: true })
  // The install command of docs/consumer.md, run as written.
  for (const block of docs.flatMap((d) => docBlocks(root, d)).filter((b) => b.marker?.kind === 'run' && b.marker.where === 'consumer-install')) {
    ok(sh(block.text, app))
  }
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the packed kit in a fresh project', () => {
  it('every code block of the consumer and CI docs is a file this suite uses, or a command it runs', () => {
    for (const block of docs.flatMap((d) => docBlocks(root, d))) {
      expect(block.marker, `${block.doc}: a block without <!-- file: … --> or <!-- run: … -->:\n${block.text}`).toBeDefined()
      if (block.marker?.kind === 'file')
        expect(readFileSync(join(root, block.marker.path), 'utf8').trimEnd(), `${block.doc} shows ${block.marker.path}`).toBe(block.text.trimEnd())
    }
  })

  it('ships the build, specs and scenarios, no sources or tests, and needs no tsx', () => {
    const pkg = join(app, 'node_modules/ghl-contacts-mock')
    for (const f of [
      'dist/mock/index.js',
      'dist/mock/index.d.ts',
      'dist/cli/run.js',
      'bin/ghl-mock.js',
      'openapi/contacts.yaml',
      'openapi/oauth.yaml',
      'openapi/control.yaml',
      'openapi/generated/contacts.json',
      'openapi/generated/oauth.json',
      'openapi/generated/control.json',
      'scenarios/flaky.json',
      'contracts/drift-allow.yaml',
      'dist/web/scalar.js',
      'mock/web/assets/console.js',
      'mock/web/assets/console.css',
      'mock/web/assets/docs.js',
    ]) {
      expect(existsSync(join(pkg, f)), f).toBe(true)
    }
    for (const f of ['test', 'mock/app.ts', 'openapi/load.ts', 'tsconfig.json']) expect(existsSync(join(pkg, f)), f).toBe(false)
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false)
    // Scalar is a devDependency: the package carries its one standalone file, not its ~290 packages.
    expect(existsSync(join(app, 'node_modules/@scalar'))).toBe(false)
    const installed = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))
    expect(Object.keys(installed.devDependencies).sort()).toEqual(['@types/node', 'ghl-contacts-mock', 'typescript', 'vitest'])
  })

  it.each(['tsconfig.json', 'tsconfig.bundler.json'])('type-checks strictly, without skipLibCheck (%s)', (config) => {
    const r = sh(`npx tsc -p ${config}`, app)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('npx ghl-mock --help and --version', () => {
    expect(ok(sh('npx ghl-mock --help', app))).toContain('Usage: ghl-mock')
    expect(ok(sh('npx ghl-mock --version', app)).trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version)
  })

  it("the project's vitest suite: globalSetup starts the mock, the client drives it, the harness runs the connector", () => {
    const r = sh('npx vitest run', app)
    console.log(r.stdout)
    expect(r.status, r.stderr).toBe(0)
    expect(stripVTControlCharacters(r.stdout)).toMatch(/Tests\s+3 passed \(3\)/)
  })

  it('plain node and the Jest setup functions', () => {
    expect(ok(sh('node scripts/smoke.mjs', app))).toMatch(/^upserted \S+ on http:\/\/127\.0\.0\.1:\d+/)
    const jest = ok(
      sh(
        `node --input-type=module -e "
          const { default: setup } = await import('./scripts/jest-global-setup.mjs')
          const { default: teardown } = await import('./scripts/jest-global-teardown.mjs')
          await setup()
          const res = await fetch(process.env.GHL_BASE_URL + '/contacts/?locationId=' + process.env.GHL_LOCATION_ID, { headers: { Authorization: 'Bearer ' + process.env.GHL_TOKEN, Version: '2021-07-28' } })
          console.log(res.status)
          await teardown()"`,
        app,
      ),
    )
    expect(jest.trim()).toBe('200')
  })

  it('npx ghl-mock stopped by SIGTERM to npm frees its port', async () => {
    const { child, url } = await spawnServer('npx', ['ghl-mock', '--port', '0', '--quiet'], { cwd: app })
    try {
      expect((await fetch(`${url}/__mock/health`)).status).toBe(200)
      // The pages for people work from the installed package: Scalar's bundle and the console's assets are in it.
      for (const path of [
        '/docs',
        '/docs/scalar.js',
        '/docs/docs.js',
        '/__mock/ui',
        '/__mock/ui/console.js',
        '/__mock/ui/console.css',
        '/openapi/contacts.json',
      ]) {
        expect((await fetch(url + path)).status, path).toBe(200)
      }
      process.kill(child.pid!, 'SIGTERM')
      expect(await portClosed(url)).toBe(true)
    } finally {
      killGroup(child)
    }
  })
})

describe('the CI recipes of docs/ci.md', () => {
  it("the Dockerfile's command serves and its HEALTHCHECK passes (run from the installed package, no container)", async () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
    expect(dockerfile).toMatch(/^FROM node:20[\w.-]*-slim/m)
    expect(dockerfile).toMatch(/^USER node$/m)
    const cmd = [/^ENTRYPOINT (\[.*\])$/m, /^CMD (\[.*\])$/m].flatMap((re) => JSON.parse(re.exec(dockerfile)![1]!) as string[])
    const health = /^HEALTHCHECK .*CMD (.+)$/m.exec(dockerfile.replace(/\\\n\s*/g, ''))![1]!
    const port = await freePort()
    const pkg = join(app, 'node_modules/ghl-contacts-mock')
    const { child } = await spawnServer('env', [`PORT=${port}`, ...cmd], { cwd: pkg })
    try {
      expect(sh(health, pkg, { PORT: String(port) }).status).toBe(0)
    } finally {
      killGroup(child)
    }
    expect(sh(health, pkg, { PORT: String(port) }).status).not.toBe(0)
  })

  it("the GitHub Actions example's steps pass in the consumer project and write JUnit reports", async () => {
    const workflow = parse(readFileSync(join(root, 'examples/ci/github-actions.yml'), 'utf8'))
    const job = Object.values<any>(workflow.jobs)[0]
    const port = await freePort()
    const steps = (job.steps as Array<{ run?: string }>).filter((s) => s.run && !/^npm (ci|install)/.test(s.run)).map((s) => s.run!)
    const env = { ...job.env, PORT: String(port), MOCK_URL: `http://127.0.0.1:${port}` }
    // In its own process group: the mock the steps leave running in the background goes with the group.
    const child = spawn('bash', ['-ec', steps.join('\n')], {
      cwd: app,
      env: { ...process.env, ...cleanEnv(), ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.stderr.on('data', (c) => (out += c))
    try {
      const [code] = await once(child, 'exit')
      expect(code, out).toBe(0)
      for (const f of ['reports/verify.xml', 'reports/contract.xml', 'reports/connector.xml'])
        expect(readFileSync(join(app, f), 'utf8')).toContain('<testsuite')
    } finally {
      killGroup(child)
    }
    expect(await portClosed(`http://127.0.0.1:${port}`)).toBe(true)
    expect(readdirSync(join(app, 'reports')).length).toBeGreaterThan(0)
  })
})
