/**
 * The harness's own webhook receiver: a node:http server on 127.0.0.1 that passes each
 * delivery to the connector's handler. Deliveries that arrive before the connector has
 * attached one (the INSTALL its code exchange sends, say) wait for it, as they would
 * wait on a slow receiver, rather than failing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type WebhookReceiverHandler = (req: IncomingMessage, res: ServerResponse) => unknown

export interface WebhookReceiver {
  url: string
  use(handler: WebhookReceiverHandler): void
  close(): Promise<void>
}

export async function listenForWebhooks(): Promise<WebhookReceiver> {
  let handler: WebhookReceiverHandler | undefined
  let waiting: Array<() => void> = []
  const server = createServer((req, res) => {
    const run = () => {
      Promise.resolve(handler!(req, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    }
    if (handler) run()
    else waiting.push(run)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    use(h) {
      handler = h
      for (const run of waiting) run()
      waiting = []
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
