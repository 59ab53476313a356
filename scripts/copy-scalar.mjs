// Build step: Scalar's standalone bundle (one self-contained 3.5 MB script) goes into the
// package as dist/web/scalar.js, so /docs works from an installed package without
// @scalar/api-reference and its ~286 dependencies (a devDependency only).
import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'

const from = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js')
mkdirSync('dist/web', { recursive: true })
copyFileSync(from, 'dist/web/scalar.js')
