/**
 * Rules the spec states in schema form (issue 16): our validator, compiled from the spec,
 * refuses what the mock refuses and accepts what it accepts. The HTTP side of each rule is
 * tested with its operation (test/contacts/*); here the spec alone is exercised.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadSpec } from '../../openapi/load.ts'
import { createValidator } from '../../openapi/validator.ts'
import { normalizeDateOfBirth } from '../../mock/operations/contacts/contacts.ts'

const spec = loadSpec()
const validator = createValidator(spec)
const contacts = spec.documents.find((d) => d.name === 'contacts')!.doc
const schemas = contacts.components.schemas as Record<string, any>

function check(operationId: string, body: unknown, params: Record<string, string> = {}) {
  const op = spec.byId.get(operationId)
  if (!op) throw new Error(`no operation ${operationId}`)
  return validator.checkRequest(op, { params, query: {}, body })
}

const search = (extra: Record<string, unknown>) => check('search-contacts-advanced', { locationId: 'loc', pageLimit: 10, ...extra })

describe('search filters: the operator decides the value', () => {
  it("the discriminator's mapping names, for each operator, the branch whose enum holds it (Ajv reads the enums, openapi-typescript the mapping)", () => {
    const filter = schemas.SearchFilter
    const operators: string[] = filter.properties.operator.enum
    expect(Object.keys(filter.discriminator.mapping).sort()).toEqual([...operators].sort())
    for (const [operator, ref] of Object.entries<string>(filter.discriminator.mapping)) {
      expect(schemas[ref.split('/').pop()!].properties.operator.enum, operator).toContain(operator)
    }
    const branchOperators = filter.oneOf.flatMap((b: { $ref: string }) => schemas[b.$ref.split('/').pop()!].properties.operator.enum)
    expect(branchOperators.sort()).toEqual([...operators].sort())
  })

  it.each([
    [{ field: 'tags', operator: 'eq', value: 'vip' }],
    [{ field: 'tags', operator: 'contains', value: ['a', 'b'] }],
    [{ field: 'dnd', operator: 'not_eq', value: true }],
    [{ field: 'dateAdded', operator: 'range', value: { gte: '2024-01-01' } }],
    [{ field: 'businessId', operator: 'exists' }],
    [
      {
        group: 'OR',
        filters: [
          { field: 'email', operator: 'not_exists' },
          { field: 'tags', operator: 'eq', value: 'x' },
        ],
      },
    ],
  ])('accepts %j', (filter) => {
    expect(search({ filters: [filter] })).toMatchObject({ errors: [] })
  })

  it.each([
    [{ field: 'tags', operator: 'range', value: 'x' }, 'filters.0.value must be an object'],
    [{ field: 'tags', operator: 'range', value: {} }, 'filters.0.value should not be empty'],
    [{ field: 'tags', operator: 'eq' }, 'filters.0.value should not be empty'],
    [{ field: 'tags', operator: 'eq', value: '' }, 'filters.0.value should not be empty'],
    [{ field: 'tags', operator: 'not_contains', value: [] }, 'filters.0.value must contain at least 1 elements'],
    [{ field: 'tags', operator: 'exists', value: 'x' }, 'property filters.0.value should not exist'],
    [
      { field: 'tags', operator: 'like', value: 'x' },
      'filters.0.operator must be one of the following values: eq, not_eq, contains, not_contains, exists, not_exists, range',
    ],
  ])('refuses %j: %s', (filter, message) => {
    // Only the branch the operator names speaks, not SearchFilterGroup's complaints.
    expect(search({ filters: [filter] }).errors).toEqual([message])
  })
})

describe('422 messages name the closest branch of a union, also behind a recursive $ref', () => {
  it.each([
    [{ field: 'tags' }, ['filters.0.operator should not be empty']],
    [{ group: 'OR' }, ['filters.0.filters should not be empty']],
    [
      { group: 'OR', filters: [{ group: 'AND', filters: [{ field: 'x', operator: 'eq', value: [] }] }] },
      ['filters.0.filters.0.filters.0.value must contain at least 1 elements'],
    ],
    [{ field: 'tags', operator: 'eq', value: { gte: 1 } }, ['filters.0.value has an invalid value']],
  ])('%j → %j', (filter, messages) => {
    expect(search({ filters: [filter] }).errors).toEqual(messages)
  })
})

describe('search paging: page and searchAfter', () => {
  const refusal = { status: 400, message: 'page and searchAfter cannot be used together: use page for standard paging or searchAfter for deep paging.' }

  it('together → the 400 the spec names in x-refusal, and no 422', () => {
    expect(search({ page: 2, searchAfter: [1700000000000, 'abc'] })).toMatchObject({ errors: [], refusal })
  })

  it('an empty searchAfter, either alone, or a 422 problem besides → no refusal', () => {
    expect(search({ page: 2, searchAfter: [] }).refusal).toBeUndefined()
    expect(search({ page: 2 }).refusal).toBeUndefined()
    expect(search({ searchAfter: [1, 'a'] }).refusal).toBeUndefined()
    expect(search({ page: 2, searchAfter: [1, 'a'], pageLimit: 0 }).errors).toEqual(['pageLimit must not be less than 1'])
  })
})

describe('dates the handlers read: ISO 8601 (task dueDate, workflow eventStartTime)', () => {
  const task = (dueDate: unknown) => check('create-task', { title: 't', completed: false, dueDate }, { contactId: 'c' })
  const update = (dueDate: unknown) => check('update-task', { dueDate }, { contactId: 'c', taskId: 't' })
  const workflow = (eventStartTime: unknown) => check('add-contact-to-workflow', { eventStartTime }, { contactId: 'c', workflowId: 'w' })

  it.each(['2026-02-01T09:00:00Z', '2026-02-03T10:30:00+01:00', '2026-02-01T09:00:00.000Z', '2026-03-01'])('accepts %s', (date) => {
    expect(task(date).errors).toEqual([])
    expect(update(date).errors).toEqual([])
    expect(workflow(date).errors).toEqual([])
  })

  it.each(['tomorrow', '2026-13-45T00:00:00Z', '01/02/2026', '2026-02-30', '2026-02-01T09:00'])('refuses %s in class-validator wording', (date) => {
    expect(task(date).errors).toEqual(['dueDate must be a valid ISO 8601 date string'])
    expect(update(date).errors).toEqual(['dueDate must be a valid ISO 8601 date string'])
    expect(workflow(date).errors).toEqual(['eventStartTime must be a valid ISO 8601 date string'])
  })
})

describe('contact bodies: dateOfBirth, phone, field_value say in schema form what the handler reads', () => {
  const dob = (dateOfBirth: unknown) => check('create-contact', { locationId: 'loc', dateOfBirth })
  const pattern = new RegExp(schemas.CreateContactDto.properties.dateOfBirth.anyOf[0].pattern as string)

  it('the dateOfBirth pattern holds exactly the strings the handler can read (seeded)', () => {
    const sep = fc.constantFrom('-', '/', '.', '_')
    const n = (min: number, max: number, pad: boolean) => fc.integer({ min, max }).map((x) => (pad ? String(x).padStart(2, '0') : String(x)))
    const ymdString = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), n(0, 13, true), n(0, 32, false), sep, sep, fc.boolean())
      .map(([y, m, d, a, b, first]) => (first ? `${String(y).padStart(4, '0')}${a}${m}${b}${d}` : `${m}${a}${d}${b}${String(y).padStart(4, '0')}`))
    const candidates = fc.oneof(ymdString, fc.stringMatching(pattern), fc.string({ maxLength: 12 }))
    fc.assert(
      fc.property(candidates, (s) => {
        const readable = s === '' || normalizeDateOfBirth(s) !== undefined
        expect(pattern.test(s), JSON.stringify(s)).toBe(readable)
      }),
      { seed: 16, numRuns: 2000 },
    )
  })

  it.each([['1990-09-25'], ['09/25/1990'], ['2024.02.29'], ['1990-09-25T00:00:00.000Z'], [''], [null], [{ year: 2000, month: 2, day: 29 }]])(
    'dateOfBirth %j is accepted',
    (v) => {
      expect(dob(v).errors).toEqual([])
    },
  )

  it.each([['1990-02-30'], ['2023/02/29'], ['garbage'], ['   '], [{ year: 1900, month: 2, day: 29 }], [{ year: 1990, month: 4, day: 31 }], [{ month: 1 }]])(
    'dateOfBirth %j is refused',
    (v) => {
      expect(dob(v).errors.length).toBeGreaterThan(0)
    },
  )

  it('a dateOfBirth string the pattern refuses gets the API wording, not the regex', () => {
    expect(dob('1990-02-30').errors).toEqual(['dateOfBirth must be a valid date (YYYY-MM-DD, MM/DD/YYYY; -, /, . or _ as separator)'])
  })

  it('phone: any notation with a digit, or blank; nothing else', () => {
    for (const phone of ['+1 888-888-8888', '(555) 123', '', '  ', null]) expect(check('create-contact', { locationId: 'l', phone }).errors).toEqual([])
    expect(check('update-contact', { phone: 'call me' }, { contactId: 'c' }).errors).toEqual(['phone must be a valid phone number'])
  })

  it('field_value of number fields: a number, a string or an object with any keys (the object branch carries additionalProperties)', () => {
    const field = (field_value: unknown) => check('create-contact', { locationId: 'l', customFields: [{ id: 'f', field_value }] })
    for (const v of [100, '100', { amount: 1, currency: 'USD' }]) expect(field(v).errors).toEqual([])
    const numeric = schemas.NumericField.properties.field_value
    expect(numeric.type).toBeUndefined()
    expect(numeric.anyOf).toContainEqual({ type: 'object', additionalProperties: true })
  })
})

describe('get-contacts startAfter: a timestamp a Date can hold', () => {
  const list = (startAfter: string) =>
    validator.checkRequest(spec.byId.get('get-contacts')!, { params: {}, query: { locationId: 'l', startAfter }, body: undefined })
  it('refuses one beyond ±8.64e15 ms, accepts one inside', () => {
    expect(list('1603870249758').errors).toEqual([])
    expect(list('-8640000000000000').errors).toEqual([])
    expect(list('1e300').errors).toEqual(['startAfter must not be greater than 8640000000000000'])
  })
})
