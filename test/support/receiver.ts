/**
 * A real HTTP receiver for webhook tests: records every request (raw body bytes and
 * headers) and answers with what the test asks for (a status per call, or never).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  raw: Buffer
  body: Record<string, any>
}

export interface Receiver {
  url: string
  received: Received[]
  /** Status for the next calls, in order; afterwards `fallback` (200). `'hang'` never answers. */
  respond: Array<number | 'hang'>
  fallback: number | 'hang'
  /** Resolves once `count` requests have arrived in all. */
  waitFor(count: number): Promise<void>
  close(): Promise<void>
}

export async function startReceiver(handle?: (req: Received) => number | undefined): Promise<Receiver> {
  const waiting: Array<{ count: number; resolve: () => void }> = []
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: [],
    fallback: 200,
    waitFor: (count) => new Promise((resolve) => (receiver.received.length >= count ? resolve() : waiting.push({ count, resolve }))),
    close: async () => {},
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      let body: Record<string, any> = {}
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {}
      const entry = { path: req.url ?? '/', headers: req.headers, raw, body }
      receiver.received.push(entry)
      for (const w of waiting.filter((x) => receiver.received.length >= x.count)) w.resolve()
      const answer = handle?.(entry) ?? receiver.respond.shift() ?? receiver.fallback
      if (answer === 'hang') return
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return receiver
}
