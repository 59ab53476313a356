/**
 * The Store is the only owner of mock state and the only emitter of change events.
 * Handlers translate HTTP to these calls. Every method is async so that a shared
 * (Redis-backed) store can implement the same interface later.
 *
 * Records keep the API's field names so handlers can return them with little mapping.
 * Reads hand out the stored records frozen (mock/store/frozen.ts), or copies: never a
 * record a caller could change.
 */
import type { components } from '../../openapi/generated/contacts.ts'

type S = components['schemas']

export interface NamedRef {
  id: string
  name: string
}

export interface CustomFieldDefinition {
  id: string
  key: string
  name: string
  dataType: 'TEXT' | 'LARGE_TEXT' | 'NUMERICAL' | 'SINGLE_OPTIONS' | 'MULTIPLE_OPTIONS' | 'CHECKBOX' | 'DATE'
  options?: string[]
}

export interface Location {
  id: string
  name: string
  companyId: string
  /** The location's "Allow Duplicate Contact" setting. */
  allowDuplicateContact: boolean
  /** Which fields identify a duplicate, in priority order. */
  duplicatePriority: Array<'email' | 'phone'>
  users: NamedRef[]
  businesses: NamedRef[]
  campaigns: NamedRef[]
  workflows: NamedRef[]
  customFields: CustomFieldDefinition[]
}

/** A contact as stored: the API's contact fields plus membership the API exposes elsewhere. */
export type Contact = S['GetContectByIdSchema'] & {
  id: string
  locationId: string
  dateAdded: string
  dateUpdated: string
  tags: string[]
  followers: string[]
  /** campaignId → ISO time the contact was added */
  campaigns: Record<string, string>
  /** workflowId → ISO time the contact was added (eventStartTime when given) */
  workflows: Record<string, string>
}

export type Task = S['TaskSchema'] & { id: string; contactId: string; locationId: string }
export type Note = S['GetNoteSchema'] & { id: string; contactId: string; locationId: string }
export type Appointment = S['GetEventSchema'] & { id: string; contactId: string; locationId: string }

/** Body of POST /contacts/search, as our spec defines it. */
export type SearchBody = S['SearchBodyV2DTO']

/** Fields a create/update may set; the store fills ids, timestamps and lower-case copies. */
export type ContactInput = Partial<Omit<Contact, 'id' | 'locationId' | 'dateAdded' | 'dateUpdated'>>

export interface ListContactsQuery {
  limit: number
  startAfterId?: string
  startAfter?: number
  query?: string
}

export interface DuplicateMatch {
  contact: Contact
  matchingField: 'email' | 'phone'
}

/**
 * A change the store made. `type` uses the names of HighLevel's webhook events so the
 * webhook emitter (roadmap) can forward them unchanged.
 */
export type ChangeEvent =
  | { type: 'ContactCreate' | 'ContactUpdate' | 'ContactDelete' | 'ContactTagUpdate' | 'ContactDndUpdate'; locationId: string; time: number; contact: Contact }
  | { type: 'TaskCreate' | 'TaskUpdate' | 'TaskComplete' | 'TaskDelete'; locationId: string; time: number; task: Task }
  | { type: 'NoteCreate' | 'NoteUpdate' | 'NoteDelete'; locationId: string; time: number; note: Note }

export interface SeedOptions {
  seed: number | string
  locations: number
  contacts: number
}

/** Everything a store holds, as plain records: what a saved state file carries. */
export interface StoreData {
  locations: Location[]
  contacts: Contact[]
  tasks: Task[]
  notes: Note[]
  appointments: Appointment[]
}

export interface Store {
  listLocations(): Promise<Location[]>
  getLocation(id: string): Promise<Location | undefined>

  /**
   * Contact ids are unique across locations; callers check the location themselves. The
   * memory store answers at once (not a promise), so that a GET by id can be answered
   * without one (see mock/pipeline/compose.ts); `await` works with either.
   */
  getContact(id: string): Contact | undefined | Promise<Contact | undefined>
  createContact(locationId: string, input: ContactInput): Promise<Contact>
  /** Shallow merge of `patch`; lower-case copies and dateUpdated are maintained. */
  updateContact(id: string, patch: ContactInput): Promise<Contact>
  deleteContact(id: string): Promise<boolean>
  /** By the location's duplicate priority (email, then phone by default). */
  findDuplicate(locationId: string, by: { email?: string | null; phone?: string | null }): Promise<DuplicateMatch | undefined>
  /** GET /contacts/ ordering: dateAdded ascending, then id; cursor is (startAfter, startAfterId). */
  listContacts(locationId: string, query: ListContactsQuery): Promise<{ contacts: Contact[]; total: number }>
  /**
   * POST /contacts/search semantics (filters, groups, sort, page/pageLimit, searchAfter, query).
   * `cursors[i]` is `contacts[i]`'s searchAfter; apart from the records, so that the records
   * are the stored ones (frozen, as getContact gives them) and a view can cache by record.
   */
  searchContacts(locationId: string, body: SearchBody): Promise<{ contacts: Contact[]; cursors: Array<Array<string | number>>; total: number }>
  contactsByBusiness(
    locationId: string,
    businessId: string,
    opts: { limit: number; skip: number; query?: string },
  ): Promise<{ contacts: Contact[]; total: number }>

  listTasks(contactId: string): Promise<Task[]>
  getTask(contactId: string, taskId: string): Promise<Task | undefined>
  createTask(contactId: string, input: Partial<Task>): Promise<Task>
  updateTask(contactId: string, taskId: string, patch: Partial<Task>): Promise<Task>
  deleteTask(contactId: string, taskId: string): Promise<boolean>

  listNotes(contactId: string): Promise<Note[]>
  getNote(contactId: string, noteId: string): Promise<Note | undefined>
  createNote(contactId: string, input: Partial<Note>): Promise<Note>
  updateNote(contactId: string, noteId: string, patch: Partial<Note>): Promise<Note>
  deleteNote(contactId: string, noteId: string): Promise<boolean>

  listAppointments(contactId: string): Promise<Appointment[]>

  /** Subscribe to change events; returns the unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void
  /** Back to freshly seeded data (same seed → identical data and ids). */
  reset(options: SeedOptions): Promise<void>
  /** A copy of all data (GET /__mock/state). */
  exportData(): Promise<StoreData>
  /** Replace all data with `data`, already validated (PUT /__mock/state, --state). */
  importData(data: StoreData): Promise<void>
}
