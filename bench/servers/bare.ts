/**
 * The baseline: a bare node:http server answering every request with one fixed JSON body
 * (BENCH_BODY, the mock's own GET /contacts/{id} answer, so the bytes on the wire match).
 * Prints `READY {json}` once listening on 127.0.0.1.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const body = Buffer.from(process.env.BENCH_BODY ?? '{}')
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  console.log(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, bytes: body.length })}`)
})
