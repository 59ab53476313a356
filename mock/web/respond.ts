/** Answers for the pages and their assets: same-origin only, never cached, never sniffed. */
import { readFileSync } from 'node:fs'
import { packageFile } from '../../openapi/package-files.ts'

/** Same-origin only: scripts, styles, fetches and the event stream go nowhere else. */
export const PAGE_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' }

/** A committed asset (mock/web/assets/), read once from the package root: the same path from the source and from dist. */
const assets = new Map<string, string>()
export function asset(name: string): string {
  let text = assets.get(name)
  if (text === undefined) assets.set(name, (text = readFileSync(packageFile('mock', 'web', 'assets', name), 'utf8')))
  return text
}

export function respond(kind: 'html' | 'js' | 'css', body: string): Response {
  const headers: Record<string, string> = { 'Content-Type': `${TYPES[kind]}; charset=utf-8`, 'X-Content-Type-Options': 'nosniff' }
  // Pages show live state: never cached. Scripts and styles may be.
  if (kind === 'html') Object.assign(headers, { 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' })
  return new Response(body, { status: 200, headers })
}
