import { refuse } from '../errors.ts'
import type { Operation } from '../../openapi/load.ts'
import type { Step } from './compose.ts'

/** The `Version` header, checked before auth as the real API does (both answer 401). */
export function versionHeader(): Step {
  // Per operation, looked up once: undefined when it takes no Version header, else the accepted values (empty: any).
  const versions = new Map<Operation, string[] | undefined>()
  const acceptedBy = (op: Operation) => {
    if (!versions.has(op)) {
      const param = op.parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === 'version')
      versions.set(op, param && ((param.schema.enum as string[] | undefined) ?? []))
    }
    return versions.get(op)
  }
  // No await inside: a plain function, so a request passing through costs no promise of its own.
  return (c, next) => {
    const accepted = acceptedBy(c.get('op'))
    if (!accepted) return next()
    const value = c.req.header('version')
    if (!value) throw refuse('missing-version')
    if (accepted.length > 0 && !accepted.includes(value)) throw refuse('invalid-version')
    return next()
  }
}
