/**
 * Every code example in the docs runs: `sh` blocks in one bash per file against a
 * listening mock (curl fails on an HTTP error unless the block says it expects one),
 * `ts` blocks imported and run, `yaml` blocks checked as scenario files. A block that
 * can't run here says why, in a `<!-- not-run: reason -->` line right above it.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { startMockServer } from '../../mock/server.ts'
import { checkScenario } from '../../mock/scenarios/load.ts'
import { loadSpec } from '../../openapi/load.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** The docs this suite owns; docs/consumer.md, ci.md and architecture.md test their own examples. */
const DOCS = [
  'README.md',
  'docs/getting-started.md',
  'docs/control-api.md',
  'docs/auth.md',
  'docs/rate-limits.md',
  'docs/faults.md',
  'docs/client.md',
  'docs/contracts.md',
  'docs/decisions.md',
  'docs/webhooks.md',
  'docs/console.md',
]
/** Docs other parts of the project write; links to them are fine before they land. */
const ELSEWHERE = new Set(['docs/consumer.md', 'docs/ci.md', 'docs/architecture.md'])
const RUNNABLE = new Set(['sh', 'bash', 'ts', 'yaml'])

interface Snippet {
  file: string
  line: number
  lang: string
  code: string
  notRun?: string
  expectError?: string
}

function extractSnippets(file: string, text: string): Snippet[] {
  const lines = text.split('\n')
  const out: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i])
    if (!open) continue
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l))
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`)
    const above = lines[i - 1] ?? ''
    const mark = /^<!-- (not-run|expect-error): (.*\S)\s*-->$/.exec(above)
    if (/^<!--\s*(not-run|expect-error)/.test(above) && !mark) throw new Error(`${file}:${i}: write <!-- not-run: reason --> or <!-- expect-error: reason -->`)
    out.push({
      file,
      line: i + 1,
      lang: open[1],
      code: lines.slice(i + 1, end).join('\n'),
      notRun: mark?.[1] === 'not-run' ? mark[2] : undefined,
      expectError: mark?.[1] === 'expect-error' ? mark[2] : undefined,
    })
    i = end
  }
  return out
}

const snippetsOf = (file: string) => extractSnippets(file, readFileSync(join(root, file), 'utf8'))
const toRun = (file: string) => snippetsOf(file).filter((s) => RUNNABLE.has(s.lang) && !s.notRun)

/** One bash for the file's sh blocks, in order, so later blocks use earlier variables (as a reader would). */
function shellScript(snippets: Snippet[]): string {
  return [
    'set -eo pipefail',
    // An HTTP error fails the snippet, unless the block is about that error.
    'curl() { if [ -n "${EXPECT_ERROR:-}" ]; then command curl "$@"; else command curl --fail-with-body "$@"; fi; }',
    ...snippets.flatMap((s) => [`echo "@@ ${s.file}:${s.line}" >&2`, `EXPECT_ERROR=${s.expectError ? '1' : ''}`, s.code]),
  ].join('\n')
}

// ts snippets read process.env, which files running side by side would overwrite: one at a time.
let tsQueue: Promise<unknown> = Promise.resolve()
const oneAtATime = <T>(job: () => Promise<T>): Promise<T> => {
  const run = tsQueue.then(job)
  tsQueue = run.catch(() => undefined)
  return run
}

async function runTs(s: Snippet, env: Record<string, string>) {
  // At the repo root, so `./client/index.ts` resolves as the docs write it.
  const path = join(root, `.snippet-${s.file.replace(/\W/g, '-')}-${s.line}.ts`)
  writeFileSync(path, s.code)
  Object.assign(process.env, env)
  try {
    await import(pathToFileURL(path).href)
  } catch (err) {
    throw new Error(`snippet ${s.file}:${s.line} failed: ${(err as Error).stack}`)
  } finally {
    rmSync(path, { force: true })
  }
}

async function runFile(file: string) {
  const snippets = toRun(file)
  if (snippets.length === 0) return
  const server = await startMockServer({ port: 0, locations: 2, contacts: 20 })
  const { token, locationId } = server.app.state.defaultTokens[0]
  const env = { BASE: server.url, TOKEN: token, LOC: locationId! }
  try {
    const sh = snippets.filter((s) => s.lang === 'sh' || s.lang === 'bash')
    if (sh.length > 0) {
      await promisify(execFile)('bash', ['-c', shellScript(sh)], { env: { ...process.env, ...env }, timeout: 80_000, maxBuffer: 16 * 1024 * 1024 }).catch(
        (err) => {
          const markers = String(err.stderr).match(/@@ \S+/g) ?? []
          throw new Error(
            `snippet ${markers.at(-1)?.slice(3) ?? file} failed (exit ${err.code}):\n${String(err.stderr).slice(-1500)}\n--- stdout ---\n${String(err.stdout).slice(-800)}`,
          )
        },
      )
    }
    for (const s of snippets.filter((s) => s.lang === 'ts')) await oneAtATime(() => runTs(s, env))
    const operationIds = loadSpec().operations.map((op) => op.operationId)
    for (const s of snippets.filter((s) => s.lang === 'yaml')) checkScenario(parse(s.code), `${file}:${s.line}`, operationIds)
  } finally {
    await server.close()
  }
}

describe('docs snippets', () => {
  // Each file has its own mock and shell, so the files run side by side.
  // The whole suite takes a few seconds; the generous timeout is for a machine under heavy load.
  it.concurrent.each(DOCS)(
    '%s: every example runs',
    async (file) => {
      await runFile(file)
    },
    90_000,
  )

  it('every not-run block says why, and there are few of them', () => {
    const notRun = DOCS.flatMap(snippetsOf).filter((s) => s.notRun)
    for (const s of notRun) expect(s.notRun!.length, `${s.file}:${s.line}`).toBeGreaterThan(10)
    // Servers that run until Ctrl-C and fragments of a user's own project; everything else runs.
    expect(notRun.length).toBeLessThanOrEqual(14)
  })

  it('a failing snippet fails the run, naming the block: the old README block that added a task to a deleted contact', async () => {
    const old = [
      'H=(-H "Authorization: Bearer $TOKEN" -H "Version: 2021-07-28")',
      `ID=$(curl -s "\${H[@]}" -H 'Content-Type: application/json' "$BASE/contacts/" -d '{"locationId":"'$LOC'","firstName":"Ada"}' | jq -r .contact.id)`,
      'curl -s "${H[@]}" -X DELETE "$BASE/contacts/$ID"',
      `curl -s "\${H[@]}" -H 'Content-Type: application/json' "$BASE/contacts/$ID/tasks" -d '{"title":"Call back","dueDate":"2026-12-01T10:00:00Z","completed":false}'`,
    ].join('\n')
    const bad = extractSnippets('old.md', `text\n\n\`\`\`sh\n${old}\n\`\`\`\n`)
    const server = await startMockServer({ port: 0, locations: 1, contacts: 1 })
    const { token, locationId } = server.app.state.defaultTokens[0]
    try {
      const run = promisify(execFile)('bash', ['-c', shellScript(bad)], { env: { ...process.env, BASE: server.url, TOKEN: token, LOC: locationId! } })
      await expect(run).rejects.toMatchObject({ stderr: expect.stringMatching(/@@ old\.md:3/), stdout: expect.stringMatching(/Contact with id \w+ not found/) })
    } finally {
      await server.close()
    }
  })
})

describe('docs', () => {
  it('README stays short and points at nothing outside the repository', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme.split('\n').length).toBeLessThanOrEqual(200)
    expect(readme).not.toMatch(/\.\.\/shared/)
  })

  it('relative links point at files that exist', () => {
    for (const file of DOCS) {
      const text = readFileSync(join(root, file), 'utf8')
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue
        const path = resolve(dirname(join(root, file)), target)
        const rel = path.slice(root.length)
        expect(existsSync(path) || ELSEWHERE.has(rel), `${file} links ${target}`).toBe(true)
      }
    }
  })

  it('the control API table names every route of openapi/control.yaml', () => {
    const spec = parse(readFileSync(join(root, 'openapi/control.yaml'), 'utf8')) as { paths: Record<string, Record<string, unknown>> }
    const table = readFileSync(join(root, 'docs/control-api.md'), 'utf8')
    const methods = ['get', 'put', 'post', 'patch', 'delete']
    const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => methods.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    )
    expect(routes.length).toBeGreaterThan(20)
    expect(routes.filter((r) => !table.includes(`| \`${r}\` |`))).toEqual([])
  })
})
