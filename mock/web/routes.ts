/**
 * The mock's pages for people outside the control API: the API reference (/docs) and the
 * spec files (/openapi/*). They read nothing but the specs and the seeded token. The QA
 * console (/__mock/ui) is a control operation (mock/control/console.ts), behind the guard.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { readRefusal } from '../pipeline/control-guard.ts'
import { packageFile } from '../../openapi/package-files.ts'
import type { MockState } from '../state.ts'
import { docsPage } from './docs.ts'
import { asset, respond } from './respond.ts'
import { loadSpecFiles, SPEC_NAMES } from './specs.ts'
import type { Step } from '../pipeline/compose.ts'

let scalarBundle: string | undefined
/**
 * Scalar's standalone bundle (3.5 MB), read on first use: from node_modules in a checkout
 * (a devDependency), from the copy the build puts in dist/web/ in an installed package.
 */
function scalar(): string {
  if (scalarBundle !== undefined) return scalarBundle
  let path: string
  try {
    path = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js')
  } catch {
    path = packageFile('dist', 'web', 'scalar.js')
  }
  scalarBundle = existsSync(path) ? readFileSync(path, 'utf8') : ''
  return scalarBundle
}

/** The pages' routes as [path, handler] pairs: app.ts runs each behind the pipeline's outer steps (journal, body limit). */
export function webRoutes(state: MockState): Array<[string, Step]> {
  const specs = loadSpecFiles()
  const routes: Array<[string, Step]> = [
    ['/', async (c) => c.redirect('/docs')],
    [
      '/docs',
      // The prefilled token is a secret the control API guards: only a request that may read it there gets it here.
      async (c) =>
        respond(
          'html',
          docsPage({ origin: new URL(c.req.url).origin, token: readRefusal(c, state.options.control) ? undefined : state.defaultTokens[0]?.token, specs }),
        ),
    ],
    ['/docs/scalar.js', async (c) => (scalar() ? respond('js', scalar()) : c.text('Scalar bundle missing: run npm run build', 404))],
    ['/docs/docs.js', async () => respond('js', asset('docs.js'))],
    // Browsers ask for it on every page; an empty answer keeps the 404 out of their consoles.
    ['/favicon.ico', async (c) => c.body(null, 204)],
  ]
  for (const name of SPEC_NAMES) {
    routes.push([`/openapi/${name}.yaml`, async (c) => c.body(specs[name].yaml, 200, { 'Content-Type': 'application/yaml; charset=utf-8' })])
    routes.push([`/openapi/${name}.json`, async (c) => c.body(specs[name].json, 200, { 'Content-Type': 'application/json; charset=utf-8' })])
  }
  return routes
}
