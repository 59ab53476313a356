/**
 * Every refusal the mock sends, in the GHL (NestJS-style) error shape. Each has a stable
 * code and its wire message here, so a reworded message cannot change what code reads
 * it (strict mode classifies by code), and no two places spell the same message.
 */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export const reasonPhrase = (status: number) => REASONS[status] ?? 'Error'

// Messages that tests and clients compare against, exported once.
export const INVALID_JWT_MESSAGE = 'Invalid JWT'
export const EXPIRED_MESSAGE = 'Invalid JWT: the access token has expired. Refresh it and retry.'
export const SCOPE_MESSAGE = 'The token is not authorized for this scope.'
export const LOCATION_MESSAGE = 'The token does not have access to this location.'
export const COMPANY_MESSAGE = 'The token does not have access to this company.'
/** A token of the wrong user type (e.g. a Location token on an agency-only endpoint), as integrators report it. */
export const AUTH_CLASS_MESSAGE = 'This authClass type is not allowed to access this scope. Please reach out to the Platform team to get it added.'
export const RATE_LIMIT_MESSAGE = 'Too many requests: the rate limit of this app for this resource is exhausted.'
export const QUOTA_MESSAGE = 'Too many requests: the daily limit of this app for this resource is exhausted.'
export const DUPLICATE_MESSAGE = 'This location does not allow duplicated contacts.'
export const INVALID_CODE = 'Invalid grant: authorization code is invalid'
export const USED_CODE = 'Invalid grant: authorization code has already been used'
export const EXPIRED_CODE = 'Invalid grant: authorization code has expired'
export const OTHER_CLIENT_CODE = 'Invalid grant: authorization code was issued to another client'
export const REDIRECT_MISMATCH = 'Invalid grant: redirect_uri does not match the one the authorization code was issued for'
export const INVALID_REFRESH = 'Invalid grant: refresh token is invalid or has been used'
export const EXPIRED_REFRESH = 'Invalid grant: refresh token has expired'
export const OTHER_CLIENT_REFRESH = 'Invalid grant: refresh token was issued to another client'

const fixed = (message: string) => () => message
const given = (message: string) => message

/** Every refusal: its status and how its wire message is made. */
const TEMPLATES = {
  'missing-version': { status: 401, message: fixed('version header was not found.') },
  'invalid-version': { status: 401, message: fixed('version header is invalid') },
  'invalid-token': { status: 401, message: fixed(INVALID_JWT_MESSAGE) },
  'expired-token': { status: 401, message: fixed(EXPIRED_MESSAGE) },
  scope: { status: 401, message: fixed(SCOPE_MESSAGE) },
  'auth-class': { status: 401, message: fixed(AUTH_CLASS_MESSAGE) },
  location: { status: 403, message: fixed(LOCATION_MESSAGE) },
  company: { status: 403, message: fixed(COMPANY_MESSAGE) },
  'rate-limit': { status: 429, message: fixed(RATE_LIMIT_MESSAGE) },
  quota: { status: 429, message: fixed(QUOTA_MESSAGE) },
  'body-too-large': { status: 413, message: (limitBytes: number) => `request entity too large (limit ${limitBytes} bytes)` },
  'content-type': { status: 400, message: (type: string) => `Content-Type must be ${type}` },
  'malformed-json': { status: 400, message: (detail: string) => `Unexpected token in JSON: ${detail}` },
  'too-deep': { status: 400, message: (levels: number) => `JSON body nests deeper than ${levels} levels` },
  /** The client closed the connection before its body was complete; nobody reads the answer. */
  'body-aborted': { status: 400, message: fixed('Request body incomplete: the client closed the connection') },
  'forbidden-key': { status: 400, message: fixed('Body contains a forbidden property name (__proto__ or constructor.prototype)') },
  validation: { status: 422, message: (messages: string[]) => messages },
  /** The real API answers 400, not 404, for an id it does not know. */
  'unknown-record': { status: 400, message: (label: string, id: string) => `${label} with id ${id} not found` },
  'unknown-user': { status: 400, message: (userId: string) => `User with id ${userId} not found in this location` },
  duplicate: { status: 400, message: fixed(DUPLICATE_MESSAGE) },
  'invalid-grant': { status: 400, message: given },
  'invalid-client': {
    status: 401,
    message: (clientId: string, why: 'unknown' | 'secret') =>
      why === 'unknown'
        ? `Invalid client credentials: no app is registered with client_id ${clientId}`
        : `Invalid client credentials: client_secret does not match client_id ${clientId}`,
  },
  // The control API's guard (mock/pipeline/control-guard.ts).
  'admin-token': { status: 401, message: fixed('The control API needs the admin token: Authorization: Bearer <token> or X-Mock-Admin-Token: <token>') },
  'control-host': { status: 403, message: (host: string) => `Host ${host} is not this mock: the control API answers to localhost, 127.0.0.1 and [::1] only` },
  'cross-site': {
    status: 403,
    message: (why: string) => `Cross-site request refused (${why}): the control API takes state-changing calls from the same origin only`,
  },
  'control-content-type': { status: 415, message: fixed('Content-Type must be application/json') },
  'fault-header': { status: 400, message: given },
  'bad-request': { status: 400, message: given },
  'not-found': { status: 404, message: given },
  'unknown-route': { status: 404, message: (method: string, path: string) => `Cannot ${method} ${path}` },
  'connection-reset': { status: 502, message: fixed('Connection reset (injected; no socket to drop in-process)') },
  /** The shared store (Redis) is unreachable: the mock cannot answer as one API, so it says so. */
  'store-unavailable': { status: 503, message: (detail: string) => `Service Unavailable: the mock's shared store (Redis) is unreachable (${detail})` },
  'mock-bug': { status: 500, message: fixed('Internal Server Error (mock bug, see the mock log)') },
} satisfies Record<string, { status: number; message: (...args: never[]) => string | string[] }>

export type ErrorCode = keyof typeof TEMPLATES | 'injected'
type Args<C extends keyof typeof TEMPLATES> = Parameters<(typeof TEMPLATES)[C]['message']>

export interface GhlErrorBody {
  statusCode: number
  message: string | string[]
  error?: string
  meta?: Record<string, unknown>
}

/** Thrown anywhere in the pipeline; app.onError turns it into the response. */
export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly body: GhlErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message)
  }
}

export function errorBody(status: number, message: string | string[], meta?: Record<string, unknown>): GhlErrorBody {
  // 400 bodies on the real API carry no `error` field; the others do.
  const body: GhlErrorBody = { statusCode: status, message }
  if (status !== 400 && REASONS[status]) body.error = REASONS[status]
  if (meta) body.meta = meta
  return body
}

/** The refusal `code`, its message made from `args`. */
export function refuse<C extends keyof typeof TEMPLATES>(code: C, ...args: Args<C>): HttpError {
  return refuseWith(code, {}, ...args)
}

/** `refuse` with the body's `meta` or response headers. */
export function refuseWith<C extends keyof typeof TEMPLATES>(
  code: C,
  extra: { meta?: Record<string, unknown>; headers?: Record<string, string> },
  ...args: Args<C>
): HttpError {
  const { status, message } = TEMPLATES[code]
  const text = (message as (...a: Args<C>) => string | string[])(...args)
  return new HttpError(code, status, errorBody(status, text, extra.meta), extra.headers)
}

/** A status the caller asked for (X-Mock-Fault, fault rules): not a refusal of the request itself. */
export const injected = (status: number) => new HttpError('injected', status, errorBody(status, reasonPhrase(status)))

export const badRequest = (message: string) => refuse('bad-request', message)
export const notFound = (message: string) => refuse('not-found', message)
export const unprocessable = (messages: string[]) => refuse('validation', messages)
