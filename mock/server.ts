/**
 * startMockServer: the mock on a real socket, 127.0.0.1 by default, with a clean
 * shutdown on SIGINT/SIGTERM (open connections are closed, then the process may exit).
 */
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createMockApp, type MockApp } from './app.ts'
import type { MockOptions } from './options.ts'
import type { LocationToken, MockState } from './state.ts'

export interface ServerOptions extends Partial<MockOptions> {
  /** Address to bind (default 127.0.0.1: the control API has no auth). */
  host?: string
  /** Default 4010; 0 picks a free port (read the chosen one from `url`). */
  port?: number
  /** Close on SIGINT/SIGTERM and exit (the CLI wants this; embedded use may not). */
  handleSignals?: boolean
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
  /** Stops listening and drops open connections; safe to call twice. */
  close(): Promise<void>
}

export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_PORT = 4010

export async function startMockServer(options: ServerOptions = {}): Promise<MockServer> {
  const { host = DEFAULT_HOST, port = DEFAULT_PORT, handleSignals = false, ...mockOptions } = options
  const app = await createMockApp(mockOptions)
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
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
    close,
  }
}
