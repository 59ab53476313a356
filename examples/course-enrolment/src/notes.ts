/**
 * A note that exists once: looked up before it is written, and written with `recover`,
 * so neither a rerun nor an ambiguous failure (a 502 after the write) makes a second.
 */
import type { GhlClient } from 'ghl-contacts-mock/client'

export async function noteOnce(ghl: GhlClient, contactId: string, body: string): Promise<boolean> {
  const { notes } = await ghl.notes.list(contactId)
  if (notes.some((n) => n.body === body)) return false
  await ghl.notes.create(contactId, { body }, { recover: true })
  return true
}
