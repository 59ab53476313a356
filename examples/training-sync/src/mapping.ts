/**
 * Which training path a new hire gets: the first rule that matches the contact's tags
 * or custom fields, else the default. Custom fields are matched by id, as the API
 * returns them; the ids are the location's (configured at install).
 */

export type PathRule = { tag: string; path: string } | { customFieldId: string; equals: string; path: string }

export interface MappableContact {
  tags?: string[]
  customFields?: Array<{ id?: string; value?: unknown }>
}

export function hasTag(contact: { tags?: string[] }, tag: string): boolean {
  const wanted = tag.toLowerCase()
  return (contact.tags ?? []).some((t) => t.toLowerCase() === wanted)
}

export function choosePath(contact: MappableContact, rules: readonly PathRule[], fallback: string): string {
  for (const rule of rules) {
    if ('tag' in rule) {
      if (hasTag(contact, rule.tag)) return rule.path
      continue
    }
    const field = contact.customFields?.find((f) => f.id === rule.customFieldId)
    if (field && String(field.value).toLowerCase() === rule.equals.toLowerCase()) return rule.path
  }
  return fallback
}
