/**
 * GET /__mock/journal/stream: the request journal as server-sent events, for the QA
 * console and for anyone with `curl -N`. One `request` event per entry, as recorded.
 */
import { defineHandlers } from '../handler.ts'
import { matchesFilter, type JournalEntry } from '../journal.ts'

/** Long enough not to cost anything, short enough for proxies that drop idle streams. */
const KEEPALIVE_MS = 15_000

export const streamControlHandlers = defineHandlers({
  streamRequests({ query }, state) {
    const encoder = new TextEncoder()
    let stop = () => {}
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text))
          } catch {
            stop()
          }
        }
        const unsubscribe = state.journal.subscribe((entry: JournalEntry) => {
          if (matchesFilter(entry, query)) send(`event: request\nid: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`)
        })
        const keepalive = setInterval(() => send(': keep-alive\n\n'), KEEPALIVE_MS)
        keepalive.unref?.()
        stop = () => {
          unsubscribe()
          clearInterval(keepalive)
        }
        // Tells the client the subscription is in place, so what it fetches next cannot fall in a gap.
        send('retry: 2000\nevent: ready\ndata: {}\n\n')
      },
      cancel() {
        stop()
      },
    })
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    })
  },
})
