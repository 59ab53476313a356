/**
 * Deterministic seed data: the same seed gives the same world, ids included. Dates are
 * derived from the seed only (never the wall clock), so a seeded world is byte-identical
 * run after run.
 *
 * Randomness comes from three kinds of stream, all derived from the seed:
 * - `${seed}:seed` for the locations (company, users, businesses, …), drawn before any
 *   contact, so location ids do not change with the number of contacts;
 * - `${seed}:seed:<n>` for the contacts of location n, so a location's contacts do not
 *   change with the number of locations;
 * - a local faker (never the global one) that fills text pools once per world.
 * Faker is slow per call (5-15 µs for an address or a paragraph), so contacts pick from
 * those pools with the cheap rng instead, and what a pool entry implies (its lower-case
 * copy, mail part, web domain) is worked out once per entry, not once per contact.
 *
 * A contact's tasks, notes and appointments are not built at seed time (they are four in
 * five of the records): the contact's pass only advances the stream past their draws and
 * keeps the stream's position, and `childrenOf` replays those draws when they are first
 * needed. The world is the same either way; seeding and indexing 100,000
 * contacts takes under half the CPU it did (docs/benchmarks.md).
 */
import type { Faker } from '@faker-js/faker'
import { faker as english } from '@faker-js/faker/locale/en'
import { ID_LENGTH, createRng, seedToNumber, type Rng } from '../rng.ts'
import { emailKey, phoneKey } from '../store/normalize.ts'
import type { Appointment, Contact, CustomFieldDefinition, Location, NamedRef, Note, SeedOptions, Task } from '../store/types.ts'

export interface World {
  locations: Location[]
  contacts: Contact[]
  tasks: Task[]
  notes: Note[]
  appointments: Appointment[]
}

export interface Children {
  tasks: Task[]
  notes: Note[]
  appointments: Appointment[]
}

/** The seeded world with each contact's tasks, notes and appointments left to be drawn on demand. */
export interface SeededWorld {
  locations: Location[]
  contacts: Contact[]
  /**
   * Per location (as `locations`), its contacts' ids by emailKey and by phoneKey: the seed
   * keeps them unique under the store's own keys, so the store takes these maps over as
   * its duplicate indexes instead of building them again (they are then the store's).
   */
  emailIds: Array<Map<string, string>>
  phoneIds: Array<Map<string, string>>
  /** The children of `contacts[i]`, as seeded (a new list on every call). */
  childrenOf(i: number): Children
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = { seed: 1, locations: 2, contacts: 200 }

/** The tag vocabulary every location draws from; tests and docs can rely on these names. */
export const SEED_TAGS = ['trainee', 'vip', 'newsletter', 'lead-2024', 'partner', 'webinar', 'cold', 'customer'] as const

const SOURCES = ['public api', 'web form', 'facebook', 'import', 'referral']
const TIMEZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'Europe/London']
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com']
const DND_CHANNELS = ['Call', 'Email', 'SMS', 'WhatsApp', 'GMB', 'FB'] as const
const DND_MESSAGES = ['Replied STOP', 'Asked not to be called', 'Unsubscribed from emails', 'Marked as spam']
const TASK_TITLES = [
  'Call back',
  'Send proposal',
  'Follow up on quote',
  'Book onboarding call',
  'Send training schedule',
  'Collect signed agreement',
  'Check in after first session',
  'Confirm payment details',
]
const APPOINTMENT_KINDS = ['Onboarding', 'Training', 'Review', 'Check-in', 'Discovery call']
/** status → appointmentStatus, the pairs the live API reports together. */
const APPOINTMENT_STATES: Array<[string, string]> = [
  ['booked', 'new'],
  ['confirmed', 'confirmed'],
  ['cancelled', 'cancelled'],
  ['showed', 'showed'],
  ['noshow', 'noshow'],
]
const FIELD_TYPES: Array<Pick<CustomFieldDefinition, 'key' | 'name' | 'dataType' | 'options'>> = [
  { key: 'contact.training_level', name: 'Training level', dataType: 'SINGLE_OPTIONS', options: ['beginner', 'intermediate', 'advanced'] },
  { key: 'contact.employee_number', name: 'Employee number', dataType: 'TEXT' },
  { key: 'contact.hours_completed', name: 'Hours completed', dataType: 'NUMERICAL' },
  { key: 'contact.notes_long', name: 'Background', dataType: 'LARGE_TEXT' },
  { key: 'contact.certified', name: 'Certified', dataType: 'CHECKBOX', options: ['yes'] },
  { key: 'contact.start_date', name: 'Start date', dataType: 'DATE' },
]

// 2023-01-01 .. 2025-06-30: seeded records are dated in the past, independent of "now".
const FROM = Date.UTC(2023, 0, 1)
const END = Date.UTC(2025, 5, 30, 23, 59, 59, 999)
const DAY = 86_400_000
const POOL = 512
const HALF_HOURS = [1, 2]

/**
 * `new Date(ms).toISOString()` for years 1000-9999, ~20 times faster (it was half the time
 * of a big seed), and a flat string: a concatenation would leave a rope behind every date.
 */
function iso(ms: number): string {
  const days = Math.floor(ms / DAY)
  const t = ms - days * DAY
  const h = Math.floor(t / 3_600_000)
  const mi = Math.floor(t / 60_000) % 60
  const s = Math.floor(t / 1000) % 60
  const f = t % 1000
  const [y, m, d] = civil(days)
  // biome-ignore format: one character a term
  return String.fromCharCode(
    48 + Math.floor(y / 1000), 48 + (Math.floor(y / 100) % 10), 48 + (Math.floor(y / 10) % 10), 48 + (y % 10), 45,
    48 + Math.floor(m / 10), 48 + (m % 10), 45, 48 + Math.floor(d / 10), 48 + (d % 10), 84,
    48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(mi / 10), 48 + (mi % 10), 58, 48 + Math.floor(s / 10), 48 + (s % 10), 46,
    48 + Math.floor(f / 100), 48 + (Math.floor(f / 10) % 10), 48 + (f % 10), 90,
  )
}
const day = (ms: number) => iso(ms).slice(0, 10)

/** Year, month, day of a day number since 1970-01-01 (H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1]
}

/**
 * The package's main entry loads all of its 70 locales (~0.3 s of every start); this entry
 * loads English alone, as one shared instance. Seeding needs instances of its own (two
 * interleave, each on its own seed), made from that one's class and definitions.
 */
function newFaker(seed: number): Faker {
  const F = english.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker
  const faker = new F({ locale: english.rawDefinitions })
  faker.seed(seed)
  return faker
}

/** A pooled name with what contacts derive from it, computed once per pool entry. */
interface Name {
  text: string
  lower: string
  mail: string
}
interface Company {
  text: string
  domain: string
  website: string
}

interface Pools {
  firstNames: Name[]
  lastNames: Name[]
  companies: Company[]
  streets: string[]
  cities: string[]
  states: string[]
  sentences: string[]
  paragraphs: string[]
}

function buildPools(seed: number | string): Pools {
  const faker = newFaker(seedToNumber(`${seed}:pools`))
  const many = <T>(n: number, make: () => T) => Array.from({ length: n }, make)
  const name = (text: string): Name => ({ text, lower: text.toLowerCase(), mail: mailPart(text) })
  const company = (text: string): Company => {
    const domain = domainOf(text)
    return { text, domain, website: `https://www.${domain}` }
  }
  return {
    firstNames: many(POOL * 2, () => name(faker.person.firstName())),
    lastNames: many(POOL * 2, () => name(faker.person.lastName())),
    companies: many(POOL, () => company(faker.company.name())),
    streets: many(POOL, () => faker.location.streetAddress()),
    cities: many(POOL, () => faker.location.city()),
    states: many(64, () => faker.location.state({ abbreviated: true })),
    sentences: many(POOL, () => faker.lorem.sentence()),
    paragraphs: many(POOL / 2, () => faker.lorem.paragraph()),
  }
}

type Helpers = ReturnType<typeof helpers>
type SeedRng = ReturnType<typeof createRng>

function helpers(rng: SeedRng) {
  const int = (min: number, max: number) => min + Math.floor(rng.next() * (max - min + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.next() * list.length)]
  const chance = (p: number) => rng.next() < p
  /** Where some() shuffles: one array for all its calls (four a contact) instead of a copy each. */
  const scratch: unknown[] = []
  /** Up to `max` distinct elements, in random order (a partial Fisher-Yates shuffle). */
  const some = <T>(list: readonly T[], max: number): T[] => {
    const n = Math.min(int(0, max), list.length)
    const copy = scratch as T[]
    for (let i = 0; i < list.length; i++) copy[i] = list[i]
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng.next() * (list.length - i))
      const swap = copy[i]
      copy[i] = copy[j]
      copy[j] = swap
    }
    return copy.slice(0, n)
  }
  /** The character code of a random digit: numbers are built as one flat string, with no padding or joining. */
  const digit = () => 48 + Math.floor(rng.next() * 10)
  const digits5 = () => String.fromCharCode(digit(), digit(), digit(), digit(), digit())
  /** An id, or with `make` false only its draws (rng.id() draws one number a character), skipped at once. */
  const id = (make: boolean) => {
    if (make) return rng.id()
    rng.skip(ID_LENGTH)
    return ''
  }
  return { next: () => rng.next(), int, pick, chance, some, digit, digits5, id }
}

/** The first one or two words of a company name as a domain label: "Schmidt, Kuhn and Hettinger" → "schmidtkuhn". */
function domainOf(company: string): string {
  const words = company
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && w !== 'and' && w !== 'inc' && w !== 'llc' && w !== 'group')
  return `${words.slice(0, 2).join('') || 'company'}.com`
}

const mailPart = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '')

type LocationDraft = Location & { calendars: string[] }

function generateLocation(rng: Rng, faker: Faker, companyId: string): LocationDraft {
  const refs = (n: number, name: () => string): NamedRef[] => Array.from({ length: n }, () => ({ id: rng.id(), name: name() }))
  return {
    id: rng.id(),
    name: `${faker.company.name()} (${faker.location.city()})`,
    companyId,
    allowDuplicateContact: false,
    duplicatePriority: ['email', 'phone'],
    users: refs(faker.number.int({ min: 3, max: 5 }), () => faker.person.fullName()),
    businesses: refs(3, () => faker.company.name()),
    campaigns: refs(3, () => `${faker.commerce.productAdjective()} campaign`),
    workflows: refs(3, () => `${faker.hacker.verb()} ${faker.hacker.noun()} workflow`),
    customFields: FIELD_TYPES.map((f) => ({ ...f, id: rng.id() })),
    calendars: [rng.id(), rng.id()],
  }
}

/** How often (in contacts) generateWorld reports progress. */
export const SEED_PROGRESS_STEP = 10_000

/** The whole world, children included: what seedWorld gives, with every contact's children drawn. */
export function generateWorld(options: SeedOptions, onProgress?: (contacts: number, total: number) => void): World {
  const seeded = seedWorld(options, onProgress)
  const world: World = { locations: seeded.locations, contacts: seeded.contacts, tasks: [], notes: [], appointments: [] }
  for (let i = 0; i < seeded.contacts.length; i++) {
    const { tasks, notes, appointments } = seeded.childrenOf(i)
    world.tasks.push(...tasks)
    world.notes.push(...notes)
    world.appointments.push(...appointments)
  }
  return world
}

/** Seeds worlds, keeping the text pools of the last seed it was asked for. */
export interface Seeder {
  seedWorld(options: SeedOptions, onProgress?: (contacts: number, total: number) => void): SeededWorld
}

/**
 * A reset to the same seed (what test suites do between tests) reuses the last seed's pools
 * instead of asking faker again (tens of ms): they are never changed, and depend on the seed
 * alone. Whoever reseeds holds one: the store for its resets, a test file or the bench for
 * the states they start.
 */
export function createSeeder(): Seeder {
  let last: { seed: number | string; pools: Pools } | undefined
  return {
    seedWorld(options, onProgress) {
      if (last?.seed !== options.seed) last = { seed: options.seed, pools: buildPools(options.seed) }
      return seedWith(last.pools, options, onProgress)
    },
  }
}

/** One world, its pools built for it alone. */
export function seedWorld(options: SeedOptions, onProgress?: (contacts: number, total: number) => void): SeededWorld {
  return seedWith(buildPools(options.seed), options, onProgress)
}

function seedWith(pools: Pools, options: SeedOptions, onProgress?: (contacts: number, total: number) => void): SeededWorld {
  const faker = newFaker(seedToNumber(options.seed))
  const rng = createRng(`${options.seed}:seed`)

  const companyId = rng.id()
  const drafts = Array.from({ length: options.locations }, () => generateLocation(rng, faker, companyId))
  const total = options.locations * options.contacts
  const contacts: Contact[] = []
  // Where each contact's children start in its location's stream.
  const childState = new Uint32Array(total)
  const progress = onProgress && (() => contacts.length % SEED_PROGRESS_STEP === 0 && onProgress(contacts.length, total))
  const emailIds: SeededWorld['emailIds'] = []
  const phoneIds: SeededWorld['phoneIds'] = []
  for (const [l, location] of drafts.entries()) {
    const stream = createRng(`${options.seed}:seed:${l}`)
    const keys = generateContacts(stream, pools, location, options.contacts, (contact) => {
      childState[contacts.length] = stream.state()
      contacts.push(contact)
      progress?.()
    })
    emailIds.push(keys.emails)
    phoneIds.push(keys.phones)
  }
  return {
    locations: drafts.map(({ calendars: _, ...location }) => location),
    contacts,
    emailIds,
    phoneIds,
    childrenOf(i) {
      const c = contacts[i]
      const out: Children = { tasks: [], notes: [], appointments: [] }
      const stream = createRng(childState[i])
      const added = Date.parse(c.dateAdded)
      const location = drafts[Math.floor(i / options.contacts)]
      const userIds = location.users.map((u) => u.id)
      drawChildren(helpers(stream), pools, location, userIds, c.id, c.firstName!, added, Date.parse(c.dateUpdated), out)
      return out
    },
  }
}

/**
 * Seeded records never change in place (the store replaces them), so equal arrays can be
 * one shared array. `list` holds distinct members of `from`: their positions make the key.
 */
function intern(interned: Map<number, string[]>, from: readonly string[], list: string[]): string[] {
  let key = 0
  for (const v of list) key = key * (from.length + 1) + from.indexOf(v) + 1
  let known = interned.get(key)
  if (!known) interned.set(key, (known = list))
  return known
}

/**
 * Seeded records never change in place (the store replaces them), so the maps no seeded
 * contact fills can be one shared, frozen object: 200,000 fewer objects at 100k contacts.
 */
const NONE: Record<string, string> = Object.freeze({})

/** The location's contacts, in order; returns their ids by emailKey and phoneKey. */
function generateContacts(rng: SeedRng, pools: Pools, location: LocationDraft, count: number, done: (contact: Contact) => void) {
  const h = helpers(rng)
  const { int, pick, chance, some, digit, digits5 } = h
  // Unique under the store's keys (the seed's addresses and numbers are already in that form).
  const emails = new Map<string, string>()
  const phones = new Map<string, string>()
  const userIds = location.users.map((u) => u.id)
  const tagLists = new Map<number, string[]>()
  const followerLists = new Map<number, string[]>()

  const uniqueEmail = (first: Name, last: Name, company: Company) => {
    const f = first.mail || 'contact'
    const l = last.mail || 'person'
    // The five forms as one pick; the number of the last is drawn first, as it always was.
    const n = int(1, 99)
    const form = Math.floor(rng.next() * 5)
    const local = form === 0 ? `${f}.${l}` : form === 1 ? `${f}${l}` : form === 2 ? `${f[0]}${l}` : form === 3 ? `${f}_${l}` : `${f}.${l}${n}`
    const domain = chance(0.6) ? pick(FREE_MAIL) : company.domain
    let email = `${local}@${domain}`
    for (let k = 2; emails.has(emailKey(email)); k++) email = `${local}${k}@${domain}`
    return email
  }
  const uniquePhone = (id: string) => {
    let phone: string
    let key: string
    do {
      // +1, then area code and exchange each starting 2-9, then six digits (arguments are drawn left to right).
      phone = String.fromCharCode(43, 49, 48 + int(2, 9), digit(), digit(), 48 + int(2, 9), digit(), digit(), digit(), digit(), digit(), digit())
      key = phoneKey(phone)
    } while (phones.has(key))
    phones.set(key, id)
    return phone
  }
  const fieldValue = (field: CustomFieldDefinition): string => {
    switch (field.dataType) {
      case 'SINGLE_OPTIONS':
        return pick(field.options ?? ['a'])
      case 'NUMERICAL':
        return String(int(0, 200))
      case 'CHECKBOX':
        return 'yes'
      case 'DATE':
        return day(FROM + Math.floor(rng.next() * (END - FROM)))
      case 'LARGE_TEXT':
        return `${pick(pools.sentences)} ${pick(pools.sentences)}`
      default:
        return `EMP-${digits5()}`
    }
  }
  const dndSettings = (all: boolean): NonNullable<Contact['dndSettings']> => {
    const channels = all ? DND_CHANNELS : some(DND_CHANNELS, 2)
    const settings: NonNullable<Contact['dndSettings']> = {}
    for (const ch of channels) settings[ch] = all || chance(0.7) ? { status: 'active', message: pick(DND_MESSAGES), code: '' } : { status: 'inactive' }
    return settings
  }

  for (let i = 0; i < count; i++) {
    const first = pick(pools.firstNames)
    const last = pick(pools.lastNames)
    const company = pick(pools.companies)
    const email = uniqueEmail(first, last, company)
    const added = FROM + Math.floor(rng.next() * (END - FROM))
    const updated = added + Math.floor(rng.next() * Math.min(30 * DAY, END - added))
    const id = rng.id()
    emails.set(emailKey(email), id)
    const dnd = chance(0.05)
    const contact: Contact = {
      id,
      locationId: location.id,
      firstName: first.text,
      lastName: last.text,
      name: `${first.text} ${last.text}`,
      firstNameLowerCase: first.lower,
      lastNameLowerCase: last.lower,
      fullNameLowerCase: `${first.lower} ${last.lower}`,
      email,
      emailLowerCase: email,
      phone: uniquePhone(id),
      companyName: company.text,
      address1: pick(pools.streets),
      city: pick(pools.cities),
      state: pick(pools.states),
      country: 'US',
      postalCode: digits5(),
      website: company.website,
      timezone: pick(TIMEZONES),
      source: pick(SOURCES),
      type: chance(0.65) ? 'lead' : 'customer',
      tags: intern(tagLists, SEED_TAGS, some(SEED_TAGS, 4)),
      dnd,
      customFields: some(location.customFields, 3).map((f) => ({ id: f.id, value: fieldValue(f) })),
      dateAdded: iso(added),
      dateUpdated: iso(updated),
      followers: intern(followerLists, userIds, some(userIds, 2)),
      campaigns: NONE,
      workflows: NONE,
    }
    if (dnd || chance(0.15)) contact.dndSettings = dndSettings(dnd)
    // Few enough per business that one fits on a default page (25) of GET /contacts/business/{id} at 200 contacts.
    if (chance(0.2)) contact.businessId = pick(location.businesses).id
    if (chance(0.5)) contact.assignedTo = pick(userIds)
    if (chance(0.4)) contact.dateOfBirth = day(FROM - int(18 * 365, 70 * 365) * DAY)
    done(contact)
    drawChildren(h, pools, location, userIds, id, first.text, added, updated)
  }
  return { emails, phones }
}

/**
 * A contact's tasks, notes and appointments, drawn from the stream where the contact left
 * it. Without `out` it only draws, to move the stream on to the next contact: both ways run
 * the same draws in the same order (only building the records depends on `out`), since a
 * draw missed or added here would change every later contact.
 */
function drawChildren(
  h: Helpers,
  pools: Pools,
  location: LocationDraft,
  userIds: string[],
  contactId: string,
  firstName: string,
  added: number,
  updated: number,
  out?: Children,
) {
  const { next, int, pick, chance, some, id } = h
  const make = out !== undefined
  // Distinct titles: a contact with the same task twice reads as a duplicate write (contracts/harness.ts checks).
  for (const title of some(TASK_TITLES, 3)) {
    const taskId = id(make)
    const body = pick(pools.sentences)
    const assignedTo = pick(userIds)
    const due = Math.floor(updated / DAY) * DAY + int(1, 60) * DAY + int(16, 35) * 1_800_000
    const completed = chance(0.4)
    out?.tasks.push({ id: taskId, contactId, locationId: location.id, title, body, assignedTo, dueDate: iso(due), completed })
  }
  for (let n = int(0, 3); n > 0; n--) {
    const noteId = id(make)
    const body = pick(pools.paragraphs)
    const userId = pick(userIds)
    const at = added + Math.floor(next() * (END - added))
    out?.notes.push({ id: noteId, contactId, locationId: location.id, body, userId, dateAdded: iso(at) })
  }
  for (let a = int(0, 2); a > 0; a--) {
    // Whole half-hours between 08:00 and 17:30 UTC, within 120 days of the contact's arrival.
    const start = Math.floor(added / DAY) * DAY + int(1, 120) * DAY + int(16, 35) * 1_800_000
    const [status, appointmentStatus] = pick(APPOINTMENT_STATES)
    const assignedUserId = pick(userIds)
    // Booked after the contact arrived, some days ahead.
    const bookedMs = Math.max(added, start - int(1, 14) * DAY)
    const appointmentId = id(make)
    const calendarId = pick(location.calendars)
    const kind = pick(APPOINTMENT_KINDS)
    const notes = pick(pools.sentences)
    const halfHours = pick(HALF_HOURS)
    const address = chance(0.5) ? pick(pools.streets) : 'Zoom'
    if (!out) continue
    const booked = iso(bookedMs)
    out.appointments.push({
      id: appointmentId,
      contactId,
      locationId: location.id,
      calendarId,
      title: `${kind} with ${firstName}`,
      status,
      appointmentStatus,
      assignedUserId,
      users: [assignedUserId],
      notes,
      startTime: iso(start),
      endTime: iso(start + halfHours * 1_800_000),
      address,
      dateAdded: booked,
      dateUpdated: booked,
    })
  }
}
