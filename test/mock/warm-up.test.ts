/**
 * Validators are compiled on first use, then the rest right after the server listens
 * (openapi/validator.ts warm, mock/server.ts).
 */
import { describe, expect, it, vi } from 'vitest'
import { loadSpec } from '../../openapi/load.ts'
import { createValidator } from '../../openapi/validator.ts'

const spec = loadSpec()

/**
 * Validators are compiled once per spec, and loadSpec's is shared by every file of a
 * worker (isolate: false): fresh modules give servers whose validators start cold. The
 * first test leaves them cold (it closes before the warm-up's first turn).
 */
let fresh: Promise<typeof import('../../mock/server.ts')> | undefined
async function coldServer() {
  if (!fresh) {
    vi.resetModules()
    fresh = import('../../mock/server.ts')
  }
  return (await fresh).startMockServer({ port: 0 })
}

describe('validator warm-up', () => {
  it('stops when the server closes', async () => {
    const server = await coldServer()
    await server.close()
    await server.warmed
    const compiled = server.app.state.validator.compiledOperations()
    expect(compiled).toBeLessThan(spec.operations.length)
    // Nothing left in the background: another turn compiles nothing more.
    await new Promise((resolve) => setImmediate(resolve))
    expect(server.app.state.validator.compiledOperations()).toBe(compiled)
  })

  it('compiles every operation after listening, answering requests meanwhile', async () => {
    const server = await coldServer()
    try {
      const { validator } = server.app.state
      expect(validator.compiledOperations()).toBeLessThan(spec.operations.length)
      const token = server.defaultToken
      const res = await fetch(`${server.url}/contacts/?locationId=${token.locationId}&limit=1`, {
        headers: { Authorization: `Bearer ${token.token}`, Version: '2021-07-28' },
      })
      expect(res.status).toBe(200)
      await server.warmed
      expect(validator.compiledOperations()).toBe(spec.operations.length)
    } finally {
      await server.close()
    }
  })

  it('compiles one operation per turn of the event loop (requests are answered in between) and stops when aborted', async () => {
    // A spec object of its own: validators are compiled once per spec, so this one starts cold.
    const validator = createValidator({ ...spec })
    const stop = new AbortController()
    const done = validator.warm(stop.signal)
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    await turn()
    expect(validator.compiledOperations()).toBe(1)
    await turn()
    expect(validator.compiledOperations()).toBe(2)
    stop.abort()
    await done
    const compiled = validator.compiledOperations()
    await turn()
    expect(validator.compiledOperations()).toBe(compiled)
    expect(compiled).toBeLessThan(spec.operations.length)
  })

  it('tries every operation, then rejects naming those whose schemas do not compile', async () => {
    const [broken, ...rest] = spec.operations.filter((op) => op.requestBody)
    const others = rest.slice(0, 3)
    const withMissingRef = { ...broken, requestBody: { ...broken.requestBody!, pointer: `${broken.requestBody!.pointer}Missing` } }
    const validator = createValidator({ ...spec, operations: [withMissingRef, ...others] })
    const failure = await validator.warm().then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(failure).toBeInstanceOf(AggregateError)
    expect((failure as AggregateError).errors.map((e: Error) => e.message.split(':')[0])).toEqual([broken.operationId])
    expect(validator.compiledOperations()).toBe(others.length)
  })
})
