/**
 * Files the package reads at run time (specs, built-in scenarios, the drift allow-list)
 * live at the package root. Modules run from the source (openapi/load.ts) and from the
 * build (dist/openapi/load.js), at different depths, so the root is found by walking up
 * to the package.json rather than by a fixed relative path.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`ghl-contacts-mock: no package.json above ${start}`)
  }
}

export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)))

/** A path inside the installed package, e.g. packageFile('openapi', 'contacts.yaml'). */
export const packageFile = (...parts: string[]): string => join(packageRoot, ...parts)
