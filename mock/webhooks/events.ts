/**
 * Store changes → webhook payloads, in the vendor's shapes (upstream/webhooks/*.json):
 * contact events carry the contact's fields at the top level, task and note events the
 * task or note, appointment events an `appointment` object. The envelope (appId,
 * timestamp, webhookId) is added per delivery by the queue.
 */
import type { ChangeEvent, Contact, Note, Task } from '../store/types.ts'

export const CONTACT_EVENTS = ['ContactCreate', 'ContactUpdate', 'ContactDelete', 'ContactTagUpdate', 'ContactDndUpdate'] as const
export const TASK_EVENTS = ['TaskCreate', 'TaskComplete', 'TaskDelete'] as const
export const NOTE_EVENTS = ['NoteCreate', 'NoteUpdate', 'NoteDelete'] as const
export const APPOINTMENT_EVENTS = ['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete'] as const
export const APP_EVENTS = ['INSTALL', 'UNINSTALL'] as const

export const WEBHOOK_EVENTS = [...CONTACT_EVENTS, ...TASK_EVENTS, ...NOTE_EVENTS, ...APPOINTMENT_EVENTS, ...APP_EVENTS] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

export const isWebhookEvent = (type: string): type is WebhookEventType => (WEBHOOK_EVENTS as readonly string[]).includes(type)

/** A payload before its envelope: `type`, `locationId` and the event's own fields. */
export interface WebhookEvent {
  type: WebhookEventType
  locationId: string
  data: Record<string, unknown>
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null))

function contactData(c: Contact, withDnd: boolean): Record<string, unknown> {
  return defined({
    id: c.id,
    address1: c.address1,
    city: c.city,
    companyName: c.companyName,
    country: c.country,
    source: c.source,
    dateAdded: c.dateAdded,
    dateOfBirth: c.dateOfBirth,
    dnd: c.dnd ?? false,
    ...(withDnd && { dndSettings: c.dndSettings }),
    email: c.email,
    name: c.name,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    postalCode: c.postalCode,
    state: c.state,
    tags: c.tags ?? [],
    website: c.website,
    // Our contact record keeps attachments as one string; the webhook sends a list.
    attachments: typeof c.attachments === 'string' && c.attachments ? [c.attachments] : [],
    assignedTo: c.assignedTo,
    customFields: (c.customFields ?? []).map((f: any) => defined({ id: f.id, value: f.value ?? f.fieldValue })),
  })
}

const taskData = (t: Task) =>
  defined({ id: t.id, assignedTo: t.assignedTo, body: t.body, contactId: t.contactId, title: t.title, dateAdded: (t as any).dateAdded, dueDate: t.dueDate })
const noteData = (n: Note) => defined({ id: n.id, body: n.body, contactId: n.contactId, dateAdded: n.dateAdded })

/** The webhook a store change causes, or undefined (TaskUpdate has no webhook of its own). */
export function eventOf(change: ChangeEvent): WebhookEvent | undefined {
  const base = { type: change.type, locationId: change.locationId } as { type: WebhookEventType; locationId: string }
  if ('contact' in change) return { ...base, data: contactData(change.contact, change.type === 'ContactDndUpdate') }
  if ('task' in change) return change.type === 'TaskUpdate' ? undefined : { ...base, data: taskData(change.task) }
  return { ...base, data: noteData(change.note) }
}

/** The body a receiver gets: type and locationId first, as the vendor's examples, then the event's fields, then the envelope. */
export function payloadOf(event: WebhookEvent, envelope: { appId?: string; timestamp: string; webhookId: string }): Record<string, unknown> {
  return { type: event.type, locationId: event.locationId, ...event.data, ...defined(envelope) }
}
