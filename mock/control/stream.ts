/**
 * GET /__mock/journal/stream: the request journal as server-sent events, for the QA
 * console and for anyone with `curl -N`. One `request` event per entry, as recorded.
 */
import { defineHandlers } from '../handler.ts'
import { matchesFilter, type JournalEntry } from '../journal.ts'

/** Long enough not to cost anything, short enough for proxies that drop idle streams. */
const KEEPALIVE_MS = 15_000

export const streamControlHandlers = defineHandlers({
  async streamRequests({ query }, state) {
    const encoder = new TextEncoder()
    let controller!: ReadableStreamDefaultController<Uint8Array>
    let cancelled = false
    let stop = () => {
      cancelled = true
    }
    const send = (text: string) => {
      try {
        controller.enqueue(encoder.encode(text))
      } catch {
        stop()
      }
    }
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c
      },
      cancel() {
        stop()
      },
    })
    // With a shared store the subscription is a Redis reader: in place (or refused, 503) before the answer starts.
    const unsubscribe = await state.journal.subscribe((entry: JournalEntry) => {
      if (matchesFilter(entry, query)) send(`event: request\nid: ${entry.id}\ndata: ${JSON.stringify(entry)}\n\n`)
    })
    if (cancelled) unsubscribe()
    const keepalive = setInterval(() => send(': keep-alive\n\n'), KEEPALIVE_MS)
    keepalive.unref?.()
    stop = () => {
      unsubscribe()
      clearInterval(keepalive)
    }
    // Tells the client the subscription is in place, so what it fetches next cannot fall in a gap.
    send('retry: 2000\nevent: ready\ndata: {}\n\n')
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' },
    })
  },
})
