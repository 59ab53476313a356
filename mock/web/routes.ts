/**
 * The mock's pages for people: the API reference (/docs), the spec files (/openapi/*)
 * and the QA console (/__mock/ui). They are not API operations: mounted beside the
 * spec-driven routes, they read the mock's state but never change it (the console
 * changes it through the control API, like any other client).
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Context, Hono } from 'hono'
import { packageFile } from '../../openapi/package-files.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import { consolePage } from './console.ts'
import { docsPage } from './docs.ts'
import { loadSpecFiles, SPEC_NAMES } from './specs.ts'

/** Same-origin only: scripts, styles, fetches and the event stream go nowhere else. */
const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const asset = (name: string) => readFileSync(packageFile('mock', 'web', 'assets', name), 'utf8')

let scalarBundle: string | undefined
/**
 * Scalar's standalone bundle (3.5 MB), read on first use: from node_modules in a checkout
 * (a devDependency), from the copy the build puts in dist/web/ in an installed package.
 */
function scalar(): string {
  if (scalarBundle !== undefined) return scalarBundle
  const built = packageFile('dist', 'web', 'scalar.js')
  let path: string
  try {
    path = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js')
  } catch {
    path = built
  }
  scalarBundle = existsSync(path) ? readFileSync(path, 'utf8') : ''
  return scalarBundle
}

const page = (c: Context<MockEnv>, html: string) => {
  c.header('Content-Security-Policy', PAGE_CSP)
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Cache-Control', 'no-store')
  return c.html(html)
}
const script = (c: Context<MockEnv>, body: string) => {
  c.header('X-Content-Type-Options', 'nosniff')
  return c.body(body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
}

export function createWebApp(state: MockState): Hono<MockEnv> {
  const specs = loadSpecFiles()
  const web = new Hono<MockEnv>()

  web.get('/', (c) => c.redirect('/docs'))
  web.get('/docs', (c) => page(c, docsPage({ origin: new URL(c.req.url).origin, token: state.defaultTokens[0]?.token, specs })))
  web.get('/docs/scalar.js', (c) => {
    const bundle = scalar()
    return bundle ? script(c, bundle) : c.text('Scalar bundle missing: run npm run build', 404)
  })
  web.get('/docs/docs.js', (c) => script(c, asset('docs.js')))

  web.get('/__mock/ui', (c) => page(c, consolePage({ seed: state.options.seed })))
  web.get('/__mock/ui/console.js', (c) => script(c, asset('console.js')))
  web.get('/__mock/ui/console.css', (c) => c.body(asset('console.css'), 200, { 'Content-Type': 'text/css; charset=utf-8' }))
  // Browsers ask for it on every page; an empty answer keeps the 404 out of their consoles.
  web.get('/favicon.ico', (c) => c.body(null, 204))

  for (const name of SPEC_NAMES) {
    web.get(`/openapi/${name}.yaml`, (c) => c.body(specs[name].yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' }))
    web.get(`/openapi/${name}.json`, (c) => c.body(specs[name].json, 200, { 'Content-Type': 'application/json; charset=utf-8' }))
  }
  return web
}
