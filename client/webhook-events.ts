/**
 * Webhook payloads as a connector receives them: our own types, written from the
 * vendor's published payload schemas (test/webhooks checks real deliveries against
 * those schemas). The vendor marks every field optional; the mock always sends the ones
 * typed as required here.
 */
export interface WebhookEnvelope {
  locationId: string
  /** The marketplace app id (the client id before the first `-`). */
  appId?: string
  /** ISO time the delivery was sent. */
  timestamp: string
  /** Unique per delivery; a duplicate or a retry repeats it. */
  webhookId: string
}

export interface WebhookContact {
  id: string
  address1?: string
  city?: string
  companyName?: string
  country?: string
  source?: string
  dateAdded?: string
  dateOfBirth?: string
  dnd?: boolean
  email?: string
  name?: string
  firstName?: string
  lastName?: string
  phone?: string
  postalCode?: string
  state?: string
  tags?: string[]
  website?: string
  attachments?: unknown[]
  assignedTo?: string
  customFields?: Array<{ id?: string; value?: string | number | unknown[] | Record<string, unknown> }>
}

export interface DndChannel {
  status?: string
  message?: string
  code?: string
}

export interface WebhookTask {
  id: string
  assignedTo?: string
  body?: string
  contactId?: string
  title?: string
  dateAdded?: string
  dueDate?: string
}

export interface WebhookNote {
  id: string
  body?: string
  contactId?: string
  dateAdded?: string
}

export interface WebhookAppointment {
  id?: string
  address?: string
  title?: string
  calendarId?: string
  contactId?: string
  groupId?: string
  appointmentStatus?: string
  assignedUserId?: string
  users?: string[]
  notes?: string
  source?: string
  startTime?: string
  endTime?: string
  dateAdded?: string
  dateUpdated?: string
}

export type ContactWebhook = WebhookEnvelope & WebhookContact & { type: 'ContactCreate' | 'ContactUpdate' | 'ContactDelete' | 'ContactTagUpdate' }
export type ContactDndWebhook = WebhookEnvelope &
  WebhookContact & { type: 'ContactDndUpdate'; dndSettings?: Partial<Record<'SMS' | 'Email' | 'GMB' | 'FB' | 'WhatsApp' | 'Call', DndChannel>> }
export type TaskWebhook = WebhookEnvelope & WebhookTask & { type: 'TaskCreate' | 'TaskComplete' | 'TaskDelete' }
export type NoteWebhook = WebhookEnvelope & WebhookNote & { type: 'NoteCreate' | 'NoteUpdate' | 'NoteDelete' }
export type AppointmentWebhook = WebhookEnvelope & { type: 'AppointmentCreate' | 'AppointmentUpdate' | 'AppointmentDelete'; appointment: WebhookAppointment }
export type InstallWebhook = WebhookEnvelope & { type: 'INSTALL'; companyId: string; versionId?: string; installType?: 'Location' | 'Company'; userId?: string }
export type UninstallWebhook = WebhookEnvelope & { type: 'UNINSTALL'; companyId?: string }

/** Every webhook a Contacts connector receives, discriminated by `type`. */
export type WebhookEvent = ContactWebhook | ContactDndWebhook | TaskWebhook | NoteWebhook | AppointmentWebhook | InstallWebhook | UninstallWebhook
export type WebhookEventType = WebhookEvent['type']
