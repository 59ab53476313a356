/**
 * What stands between the control API (/__mock/*) and a web page in the tester's browser.
 * The control API can wipe data and mint tokens, so:
 *
 * - an admin token, when the mock has one, is required on every call (401);
 * - bound to loopback, the Host header must name loopback (403): a DNS-rebinding page
 *   reaches 127.0.0.1 under its own host name, and would otherwise read GET /__mock/tokens;
 * - a state-changing call from another site (Origin or Sec-Fetch-Site) is refused (403):
 *   a simple form POST needs no preflight, so CORS alone would not stop it;
 * - a state-changing call with a body must say Content-Type: application/json (415),
 *   which no form and no "simple" cross-site request can send;
 * - no CORS headers, unless the origin was named in `control.corsOrigins`.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { type HttpError, refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'
import type { MockState } from '../state.ts'
import type { Step } from './compose.ts'

export interface ControlAccess {
  /** Required on every /__mock/* call as `Authorization: Bearer <t>` or `X-Mock-Admin-Token: <t>`. */
  adminToken?: string
  /** `loopback`: the Host header must name this machine's loopback (the mock listens on loopback). */
  hosts: 'loopback' | 'any'
  /** Origins allowed to call the control API from a browser (CORS and the cross-site check). */
  corsOrigins: string[]
}

export const defaultControlAccess: ControlAccess = { hosts: 'loopback', corsOrigins: [] }

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Host names (and addresses) that can only mean this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
}

/** The host name of a Host header value (`[::1]:4010` → `::1`), or undefined when it is not one. */
function hostName(header: string): string | undefined {
  try {
    return new URL(`http://${header}`).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return undefined
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function givenAdminToken(c: Context<MockEnv>): string | undefined {
  const header = c.req.header('x-mock-admin-token')
  if (header !== undefined) return header
  const m = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')
  return m?.[1].trim()
}

function origin(c: Context<MockEnv>): string | undefined {
  return c.req.header('origin')
}

/** Is the request from a page of another origin than the mock (and not one the tester allowed)? */
function crossSite(c: Context<MockEnv>, host: string, access: ControlAccess): string | undefined {
  const from = origin(c)
  if (from !== undefined && access.corsOrigins.includes(from)) return undefined
  if (from !== undefined) {
    let fromHost: string | undefined
    try {
      fromHost = from === 'null' ? undefined : new URL(from).host
    } catch {
      fromHost = undefined
    }
    if (fromHost !== host.toLowerCase()) return `Origin ${from}`
  }
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site ${site}`
  return undefined
}

/**
 * What the control API asks of any read: the admin token when there is one, a loopback
 * Host (against DNS rebinding). Also what a page outside /__mock must pass before it shows
 * a secret (the token /docs prefills).
 */
export function readRefusal(c: Context<MockEnv>, access: ControlAccess): HttpError | undefined {
  if (access.adminToken !== undefined) {
    const given = givenAdminToken(c)
    if (given === undefined || !sameSecret(given, access.adminToken)) return refuse('admin-token')
  }
  if (access.hosts === 'loopback') {
    const host = c.req.header('host') ?? new URL(c.req.url).host
    const name = hostName(host)
    if (!name || !isLoopbackHost(name)) return refuse('control-host', host)
  }
  return undefined
}

export function controlGuard(state: Pick<MockState, 'options'>): Step {
  return async (c, next) => {
    const access = state.options.control
    const host = c.req.header('host') ?? new URL(c.req.url).host
    const allowedOrigin = origin(c) !== undefined && access.corsOrigins.includes(origin(c)!)

    // A CORS preflight carries no credentials; answer it before the token check.
    if (c.req.method === 'OPTIONS' && allowedOrigin) {
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin(c)!,
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Mock-Admin-Token',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      })
    }
    const refused = readRefusal(c, access)
    if (refused) throw refused
    if (!READS.has(c.req.method)) {
      const why = crossSite(c, host, access)
      if (why) throw refuse('cross-site', why)
      const type = c.req.header('content-type')?.split(';')[0].trim().toLowerCase()
      const hasBody = c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0
      if ((type !== undefined && type !== 'application/json') || (hasBody && type === undefined)) {
        throw refuse('control-content-type')
      }
    }
    await next()
    if (allowedOrigin) {
      c.res.headers.set('Access-Control-Allow-Origin', origin(c)!)
      c.res.headers.append('Vary', 'Origin')
    }
  }
}
