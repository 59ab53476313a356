/**
 * Validators compiled from our OpenAPI documents: request parts (path, query, body) for
 * the mock's pipeline, and responses for the self-check, strict mode and conformance.
 * Every validator is compiled on its first use and kept: compiling every operation's was
 * ~0.4 s of every start, and a run (a test file, a CI job) uses a handful of them. A
 * listening server then compiles the rest in the background (`warm`, from half a second
 * after start: mock/server.ts), so that a later first request does not wait for its compile
 * and a schema that does not compile does not hide until then.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { loadSpec, type Operation, type Schema, type SpecIndex } from './load.ts'
import { refusalOf, toMessages, type BranchCheck, type Refusal } from './messages.ts'

export interface RequestParts {
  params: Record<string, string>
  query: Record<string, string | string[]>
  body: unknown
}

export interface RequestCheck {
  /** class-validator style messages; empty when valid */
  errors: string[]
  /**
   * A rule the spec marks with `x-refusal` (e.g. page with searchAfter): the API's own
   * status and message, sent when it is the only thing wrong with the request.
   */
  refusal?: Refusal
  /** query and path values coerced to the spec's types */
  params: Record<string, unknown>
  query: Record<string, unknown>
}

export interface ResponseCheck {
  valid: boolean
  errors: string[]
}

export interface Validator {
  checkRequest(op: Operation, parts: RequestParts): RequestCheck
  /** `headers` given → required response headers are checked too (on successes). */
  checkResponse(op: Operation, status: number, body: unknown, headers?: Record<string, string | undefined>): ResponseCheck
  /**
   * Compiles the request validators of every operation not compiled yet, one operation per
   * turn of the event loop so that requests are answered between them; stops when `signal`
   * aborts. After trying them all, rejects with an AggregateError that has one error per
   * operation whose schemas did not compile, each message starting with its operationId.
   */
  warm(signal?: AbortSignal): Promise<void>
  /** How many operations have their request validators compiled. */
  compiledOperations(): number
}

/**
 * Ajv reads `discriminator` (it then checks only the branch the tag names, so errors speak
 * of that branch) but refuses `mapping`, which openapi-typescript needs to type each
 * branch's tag. Ajv derives the same mapping from the branches' enums, so it gets a copy
 * without it.
 */
function withoutMappings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutMappings)
  if (!node || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'discriminator' && v && typeof v === 'object' ? { propertyName: (v as Record<string, unknown>).propertyName } : withoutMappings(v)
  }
  return out
}

function makeAjv(coerceTypes: boolean, documents: Array<{ id: string; doc: Record<string, unknown> }>) {
  // strict: false because OpenAPI adds keywords (example, x-…) JSON Schema lacks;
  // verbose so that an error carries its schema and data (x-refusal, x-message and union
  // branches are read from them).
  // Startup is mostly compiling, so two settings only speed it up: validateSchema: false
  // (checking a whole OpenAPI document against the JSON Schema meta-schema compiles that
  // meta-schema per instance yet never reaches the schemas nested under `paths` and
  // `components`; the tests validate the documents strictly) and optimize: false (it
  // tidies the generated code, which validates the same without it).
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    discriminator: true,
    verbose: true,
    coerceTypes: coerceTypes ? 'array' : false,
    useDefaults: coerceTypes,
    validateSchema: false,
    code: { optimize: false },
  })
  addFormats.default(ajv)
  for (const d of documents) ajv.addSchema(d.doc, d.id)
  return ajv
}

function objectSchema(params: Operation['parameters'], where: 'path' | 'query'): Schema {
  const list = params.filter((p) => p.in === where)
  return {
    type: 'object',
    properties: Object.fromEntries(list.map((p) => [p.name, p.schema])),
    required: list.filter((p) => p.required).map((p) => p.name),
    // The real API validates query DTOs with forbidNonWhitelisted too.
    additionalProperties: false,
  }
}

interface Compiled {
  path: ValidateFunction
  query: ValidateFunction
  body?: ValidateFunction
}

const compiledBySpec = new WeakMap<SpecIndex, Validator>()

/** Validators depend on the spec alone: compile them once per spec, not once per mock instance. */
export function createValidator(spec: SpecIndex = loadSpec()): Validator {
  let validator = compiledBySpec.get(spec)
  if (!validator) compiledBySpec.set(spec, (validator = compileValidator(spec)))
  return validator
}

function compileValidator(spec: SpecIndex): Validator {
  const documents = spec.documents.map((d) => ({ id: d.id, doc: withoutMappings(d.doc) as Record<string, unknown> }))
  // Parameter schemas are compiled alone (no $id to resolve a `#/…` against), so the
  // coercing instance needs no documents: adding them walked every schema for nothing.
  const coercing = makeAjv(true, [])
  const exact = makeAjv(false, documents)
  // Union branches behind a `$ref`, validated one by one when a message must pick among them.
  const branchValidators = new Map<string, ValidateFunction>()
  const branchCheck =
    (documentId: string): BranchCheck =>
    (ref, data) => {
      const key = `${documentId}${ref}`
      let v = branchValidators.get(key)
      if (!v) branchValidators.set(key, (v = exact.compile({ $ref: key })))
      return v(data) ? [] : [...(v.errors ?? [])]
    }
  const documentIds = new Map(spec.documents.map((d) => [d.name, d.id]))
  // Most operations share their path and query parameters (80 operations, a few dozen distinct
  // objects), and compiling is the bulk of startup: compile each distinct one once.
  const paramValidators = new Map<string, ValidateFunction>()
  const paramValidator = (schema: Schema) => {
    const key = JSON.stringify(schema)
    let v = paramValidators.get(key)
    if (!v) paramValidators.set(key, (v = coercing.compile(schema)))
    return v
  }
  const requests = new Map<Operation, Compiled>()
  const requestValidators = (op: Operation) => {
    let compiled = requests.get(op)
    if (!compiled) {
      if (!spec.operations.includes(op)) throw new Error(`no validators for ${op.operationId}`)
      requests.set(
        op,
        (compiled = {
          path: paramValidator(objectSchema(op.parameters, 'path')),
          query: paramValidator(objectSchema(op.parameters, 'query')),
          body: op.requestBody ? exact.compile({ $ref: op.requestBody.pointer }) : undefined,
        }),
      )
    }
    return compiled
  }
  const responses = new Map<string, ValidateFunction>()
  const responseValidator = (pointer: string) => {
    let v = responses.get(pointer)
    if (!v) responses.set(pointer, (v = exact.compile({ $ref: pointer })))
    return v
  }

  return {
    warm(signal) {
      const failures: Error[] = []
      let i = 0
      return new Promise<void>((resolve, reject) => {
        const step = () => {
          if (signal?.aborted) return resolve()
          let op = spec.operations[i++]
          while (op && requests.has(op)) op = spec.operations[i++]
          if (!op)
            return failures.length > 0 ? reject(new AggregateError(failures, `validators of ${failures.length} operation(s) failed to compile`)) : resolve()
          try {
            requestValidators(op)
          } catch (err) {
            failures.push(new Error(`${op.operationId}: ${(err as Error).message}`, { cause: err }))
          }
          setImmediate(step)
        }
        setImmediate(step)
      })
    },
    compiledOperations: () => requests.size,
    checkRequest(op, parts) {
      const compiled = requestValidators(op)
      const params: Record<string, unknown> = { ...parts.params }
      const query: Record<string, unknown> = { ...parts.query }
      const errors: string[] = []
      let refusal: Refusal | undefined
      if (!compiled.path(params)) errors.push(...toMessages(compiled.path.errors))
      if (!compiled.query(query)) errors.push(...toMessages(compiled.query.errors))
      if (compiled.body) {
        const body = parts.body === undefined ? {} : parts.body
        if (!compiled.body(body)) {
          errors.push(...toMessages(compiled.body.errors, '', branchCheck(documentIds.get(op.api) ?? `${op.api}.yaml`)))
          refusal = refusalOf(compiled.body.errors)
        }
      }
      return refusal ? { errors, refusal, params, query } : { errors, params, query }
    },
    checkResponse(op, status, body, headers) {
      const spec = op.responses[String(status)] ?? op.responses.default
      if (!spec) return { valid: false, errors: [`status ${status} is not documented for ${op.operationId}`] }
      const errors: string[] = []
      if (spec.pointer) {
        const v = responseValidator(spec.pointer)
        if (!v(body)) errors.push(...(v.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`))
      }
      // Headers are held to the spec on successes; a request refused before auth has no
      // rate-limit bucket to report on.
      if (headers && status < 300) {
        for (const name of spec.requiredHeaders) if (headers[name] === undefined) errors.push(`header ${name} is missing`)
      }
      const ct = headers?.['content-type']
      if (spec.contentType && ct && !ct.includes(spec.contentType.split(';')[0])) {
        errors.push(`content-type ${ct} is not ${spec.contentType}`)
      }
      return { valid: errors.length === 0, errors }
    },
  }
}
