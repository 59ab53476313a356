/**
 * The GHL (NestJS-style) error bodies. Every error the mock sends is built here, so
 * their shape cannot drift between handlers and middleware.
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

export interface GhlErrorBody {
  statusCode: number
  message: string | string[]
  error?: string
  meta?: Record<string, unknown>
}

/** Thrown anywhere in the pipeline; app.onError turns it into the response. */
export class HttpError extends Error {
  constructor(
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

export const badRequest = (message: string, meta?: Record<string, unknown>) =>
  new HttpError(400, errorBody(400, message, meta))
export const unauthorized = (message = 'Invalid JWT') => new HttpError(401, errorBody(401, message))
export const forbidden = (message = 'The token does not have access to this location.') =>
  new HttpError(403, errorBody(403, message))
export const notFound = (message: string) => new HttpError(404, errorBody(404, message))
export const unprocessable = (messages: string[]) => new HttpError(422, errorBody(422, messages))
export const httpError = (status: number, message: string, headers?: Record<string, string>) =>
  new HttpError(status, errorBody(status, message), headers)
