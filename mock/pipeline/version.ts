import type { MiddlewareHandler } from 'hono'
import { refuse } from '../errors.ts'
import type { MockEnv } from '../env.ts'

/** The `Version` header, checked before auth as the real API does (both answer 401). */
export function versionHeader(): MiddlewareHandler<MockEnv> {
  return async (c, next) => {
    const param = c.get('op').parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'version')
    if (!param) return next()
    const value = c.req.header('version')
    if (!value) throw refuse('missing-version')
    const accepted = (param.schema.enum as string[] | undefined) ?? []
    if (accepted.length > 0 && !accepted.includes(value)) throw refuse('invalid-version')
    return next()
  }
}
