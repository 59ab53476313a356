import { describe, expect, it } from 'vitest'
import { GhlError, TokenRefreshError, errorFromResponse, isExpiredTokenError, withDetails } from '../../client/errors.ts'

describe('errorFromResponse: kinds from the API answers', () => {
  const cases: Array<[string, number, unknown, string]> = [
    ['invalid token', 401, { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' }, 'auth'],
    ['expired token', 401, { statusCode: 401, message: 'Invalid JWT: the access token has expired. Refresh it and retry.' }, 'auth'],
    ['scope', 401, { statusCode: 401, message: 'The token is not authorized for this scope.' }, 'scope'],
    ['auth class', 401, { statusCode: 401, message: 'This authClass type is not allowed to access this scope. Please reach out…' }, 'scope'],
    ['missing version', 401, { statusCode: 401, message: 'version header was not found.' }, 'validation'],
    ['location', 403, { statusCode: 403, message: 'The token does not have access to this location.' }, 'location'],
    ['unknown id (400)', 400, { statusCode: 400, message: 'Contact with id abc not found' }, 'not-found'],
    ['unknown route (404)', 404, { statusCode: 404, message: 'Cannot POST /contacts/x/appointments' }, 'not-found'],
    ['validation', 422, { statusCode: 422, message: ['email must be an email', 'property foo should not exist'] }, 'validation'],
    ['bad json', 400, { statusCode: 400, message: 'Unexpected token in JSON' }, 'validation'],
    ['too large', 413, { statusCode: 413, message: 'request entity too large' }, 'validation'],
    ['burst 429', 429, { statusCode: 429, message: 'Too many requests.' }, 'rate-limit'],
    ['server', 503, { statusCode: 503, message: 'Service Unavailable' }, 'server'],
    ['server, text body', 502, '<html>Bad gateway</html>', 'server'],
  ]
  for (const [name, status, body, kind] of cases) {
    it(`${name} → ${kind}`, () => {
      const err = errorFromResponse(status, body)
      expect(err).toBeInstanceOf(GhlError)
      expect(err.kind).toBe(kind)
      expect(err.status).toBe(status)
    })
  }

  it('duplicate create exposes the existing contact id', () => {
    const err = errorFromResponse(400, {
      statusCode: 400,
      message: 'This location does not allow duplicated contacts.',
      meta: { contactId: 'ocQHyuzHvysMo5N5VsXc', contactName: 'Ada', matchingField: 'email' },
    })
    expect(err.kind).toBe('duplicate')
    expect(err.existingContactId).toBe('ocQHyuzHvysMo5N5VsXc')
    expect(err.meta?.matchingField).toBe('email')
  })

  it('a 429 whose daily remaining is 0 is quota, not rate-limit', () => {
    const err = errorFromResponse(429, { statusCode: 429, message: 'Too many requests' }, { rateLimit: { dailyRemaining: 0, remaining: 5 } })
    expect(err.kind).toBe('quota')
  })

  it('keeps every 422 message', () => {
    const err = errorFromResponse(422, { statusCode: 422, message: ['a', 'b'] })
    expect(err.messages).toEqual(['a', 'b'])
    expect(err.message).toBe('a; b')
  })

  it('recognises the expiry 401', () => {
    expect(isExpiredTokenError(errorFromResponse(401, { message: 'Invalid JWT: the access token has expired. Refresh it and retry.' }))).toBe(true)
    expect(isExpiredTokenError(errorFromResponse(401, { message: 'Invalid JWT' }))).toBe(false)
  })

  it('withDetails keeps the class and adds request details', () => {
    const e = withDetails(new TokenRefreshError('nope', { status: 400 }), { operation: 'get-contact', attempts: 1 })
    expect(e).toBeInstanceOf(TokenRefreshError)
    expect(e.kind).toBe('auth')
    expect(e.operation).toBe('get-contact')
    expect(e.status).toBe(400)
  })
})
