/**
 * The framework's floor: a Hono app served by @hono/node-server, as the mock is, whose one
 * route answers the mock's own GET /contacts/{id} bytes and headers (BENCH_BODY,
 * BENCH_HEADERS) and does nothing else: no auth, limits, validation, store or journal. From
 * bare node:http to this server is what Hono and its Node adapter cost; from this server
 * to the mock is what the mock itself does. Prints `READY {json}` once listening on 127.0.0.1.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const body = process.env.BENCH_BODY ?? '{}'
const headers: Record<string, string> = JSON.parse(process.env.BENCH_HEADERS ?? '{}')
const app = new Hono()
app.get('/contacts/:contactId', () => new Response(body, { status: 200, headers }))
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}`)
})
