/**
 * startMockServer: the mock on a real socket, 127.0.0.1 by default, with a clean
 * shutdown on SIGINT/SIGTERM (open connections are closed, then the process may exit).
 */
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { errorBody } from './errors.ts'
import { createMockApp, type MockApp } from './app.ts'
import type { MockOptions } from './options.ts'
import type { LocationToken, MockState } from './state.ts'
import { defaultControlAccess, isLoopbackHost, type ControlAccess } from './pipeline/control-guard.ts'

export interface ServerOptions extends Partial<Omit<MockOptions, 'control'>> {
  /** Control API access; `hosts` follows from `host` (loopback → Host check). */
  control?: Partial<ControlAccess>
  /** Address to bind (default 127.0.0.1; any other needs an admin token or --unsafe-open-control). */
  host?: string
  /** Default 4010; 0 picks a free port (read the chosen one from `url`). */
  port?: number
  /** Close on SIGINT/SIGTERM and exit (the CLI wants this; embedded use may not). */
  handleSignals?: boolean
  /** Listen on a non-loopback host without an admin token: anyone who can reach it may steer the mock. */
  unsafeOpenControl?: boolean
  /** Socket timeouts; see SERVER_TIMEOUTS and docs/hardening.md. */
  timeouts?: Partial<ServerTimeouts>
}

export interface ServerTimeouts {
  /** Time to receive the request headers (slow-loris), then 408 and close. */
  headersTimeout: number
  /** Time to receive the whole request, body included, then 408 and close. Not the answer: latency faults may take longer. */
  requestTimeout: number
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeout: number
  /** How often Node looks for connections past headersTimeout/requestTimeout. */
  connectionsCheckingInterval: number
}

/**
 * Node's defaults (60 s for headers, 300 s per request, checked every 30 s) let a slow or
 * stuck client hold a socket for minutes. A local mock's clients send small requests
 * over loopback; seconds are plenty.
 */
export const SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
}

export interface MockServer {
  /** Base URL, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string
  /** The mock's state: store, tokens, clock, faults, journal (same object as `app.state`). */
  state: MockState
  /** An all-scopes Private Integration Token of the first seeded location (follows resets). */
  readonly defaultToken: LocationToken
  app: MockApp
  server: ServerType
  /**
   * Settles when the validators the first requests did not compile are compiled, in the
   * background after listening (or when close() stops that). Rejects (AggregateError) when
   * some operation's schemas did not compile; those are logged to stderr either way.
   */
  warmed: Promise<void>
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>
}

/** How long after listening the validators not yet used start compiling in the background. */
const WARM_AFTER_MS = 500

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
}

/**
 * Requests Node cannot parse (or that time out) never reach the app. Answer them as Node
 * would (400, 408, 431, then close), but with a body in the API's error shape, and end
 * the socket gracefully rather than destroying it.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage
  if (err.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
    socket.destroy()
    return
  }
  const [status, reason] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request']
  endWith(socket, status, reason, status === 400 ? `Malformed HTTP request (${err.code ?? err.message})` : reason)
}

function endWith(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify(errorBody(status, message))
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 4010

export async function startMockServer(options: ServerOptions = {}): Promise<MockServer> {
  const { host = DEFAULT_HOST, port = DEFAULT_PORT, handleSignals = false, timeouts: given, unsafeOpenControl = false, ...mockOptions } = options
  const loopback = isLoopbackHost(host)
  if (!loopback && mockOptions.control?.adminToken === undefined && !unsafeOpenControl) {
    throw new Error(
      `refusing to listen on ${host}: the control API (/__mock/*) can reset data and mint tokens, and on a non-loopback address anyone who reaches the port could call it. ` +
        'Pass --admin-token <token> (then every /__mock/* call needs Authorization: Bearer <token> or X-Mock-Admin-Token), or --unsafe-open-control if the network is yours alone.',
    )
  }
  // Bound to loopback, only loopback Host names may reach the control API (DNS rebinding).
  const control = { ...defaultControlAccess, ...mockOptions.control, hosts: loopback ? ('loopback' as const) : ('any' as const) }
  const app = await createMockApp({ ...mockOptions, control })
  const timeouts = { ...SERVER_TIMEOUTS, ...given }
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port, serverOptions: timeouts }, () => resolve(s))
    s.once('error', reject)
  })
  server.on('clientError', answerClientError)
  // Node hands CONNECT to a 'connect' listener and destroys the socket when there is none.
  server.on('connect', (_req: unknown, socket: Duplex) => endWith(socket, 405, 'Method Not Allowed', 'CONNECT is not supported'))
  // Not every Node 20 release reads these from the createServer options; set them on the server too.
  Object.assign(server, { headersTimeout: timeouts.headersTimeout, requestTimeout: timeouts.requestTimeout, keepAliveTimeout: timeouts.keepAliveTimeout })
  const warming = new AbortController()
  // Not at once: a request that comes while a compile runs waits for it (up to ~100 ms),
  // and a client's first requests come right after start; those compile what they need.
  const warmed = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, WARM_AFTER_MS)
    timer.unref()
    warming.signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  }).then(() => app.state.validator.warm(warming.signal))
  // Loud but not fatal: the other operations still answer, and the broken one answers 500
  // with the reason; exiting would take down the runs of everyone using this mock.
  warmed.catch((err: AggregateError) => {
    for (const e of err.errors) console.error(`[ghl-mock] failed to compile the validators of ${(e as Error).message}`)
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      warming.abort()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      app.state.webhooks.close()
      void app.state.redis?.close()
      server.close(() => resolve())
      // Keep-alive connections would hold close() open; the mock holds no state worth draining.
      ;(server as import('node:http').Server).closeAllConnections?.()
    }))
  const onSignal = () => {
    void close().then(() => process.exit(0))
  }
  if (handleSignals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  const { state } = app
  return {
    url: `http://${shownHost}:${address.port}`,
    state,
    get defaultToken() {
      // At least one location is always seeded (resolveOptions refuses locations < 1).
      return state.defaultTokens[0]!
    },
    app,
    server,
    warmed,
    close,
  }
}
