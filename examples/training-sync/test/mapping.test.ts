import { describe, expect, it } from 'vitest'
import { choosePath, type PathRule } from '../src/mapping.ts'

const rules: PathRule[] = [
  { tag: 'dept-sales', path: 'sales' },
  { customFieldId: 'fld-level', equals: 'advanced', path: 'advanced' },
]

describe('choosePath', () => {
  it('takes the first rule that matches, by tag (any case) or custom field value, else the default', () => {
    expect(choosePath({ tags: ['new-hire', 'Dept-Sales'] }, rules, 'general')).toBe('sales')
    expect(choosePath({ tags: ['new-hire'], customFields: [{ id: 'fld-level', value: 'Advanced' }] }, rules, 'general')).toBe('advanced')
    expect(choosePath({ tags: ['dept-sales'], customFields: [{ id: 'fld-level', value: 'advanced' }] }, rules, 'general')).toBe('sales')
    expect(choosePath({ tags: ['new-hire'], customFields: [{ id: 'other', value: 'advanced' }] }, rules, 'general')).toBe('general')
    expect(choosePath({}, rules, 'general')).toBe('general')
  })
})
