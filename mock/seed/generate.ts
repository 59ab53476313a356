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
 * those pools with the cheap rng instead: 50,000 contacts take well under a second.
 */
import { Faker, en } from '@faker-js/faker'
import { createRng, seedToNumber, type Rng } from '../rng.ts'
import type { Appointment, Contact, CustomFieldDefinition, Location, NamedRef, Note, SeedOptions, Task } from '../store/types.ts'

export interface World {
  locations: Location[]
  contacts: Contact[]
  tasks: Task[]
  notes: Note[]
  appointments: Appointment[]
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

const iso = (ms: number) => new Date(ms).toISOString()
const day = (ms: number) => iso(ms).slice(0, 10)

interface Pools {
  firstNames: string[]
  lastNames: string[]
  companies: string[]
  streets: string[]
  cities: string[]
  states: string[]
  sentences: string[]
  paragraphs: string[]
}

function buildPools(seed: number | string): Pools {
  const faker = new Faker({ locale: [en] })
  faker.seed(seedToNumber(`${seed}:pools`))
  const many = (n: number, make: () => string) => Array.from({ length: n }, make)
  return {
    firstNames: many(POOL * 2, () => faker.person.firstName()),
    lastNames: many(POOL * 2, () => faker.person.lastName()),
    companies: many(POOL, () => faker.company.name()),
    streets: many(POOL, () => faker.location.streetAddress()),
    cities: many(POOL, () => faker.location.city()),
    states: many(64, () => faker.location.state({ abbreviated: true })),
    sentences: many(POOL, () => faker.lorem.sentence()),
    paragraphs: many(POOL / 2, () => faker.lorem.paragraph()),
  }
}

function helpers(rng: Rng) {
  const int = (min: number, max: number) => min + Math.floor(rng.next() * (max - min + 1))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng.next() * list.length)]
  const chance = (p: number) => rng.next() < p
  /** Up to `max` distinct elements, in random order (a partial Fisher-Yates shuffle). */
  const some = <T>(list: readonly T[], max: number): T[] => {
    const copy = [...list]
    const n = Math.min(int(0, max), copy.length)
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rng.next() * (copy.length - i))
      ;[copy[i], copy[j]] = [copy[j], copy[i]]
    }
    return copy.slice(0, n)
  }
  const digits = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += Math.floor(rng.next() * 10)
    return s
  }
  return { int, pick, chance, some, digits }
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

function generateLocation(rng: Rng, faker: Faker, companyId: string): Location & { calendars: string[] } {
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

export function generateWorld(options: SeedOptions, onProgress?: (contacts: number, total: number) => void): World {
  const faker = new Faker({ locale: [en] })
  faker.seed(seedToNumber(options.seed))
  const rng = createRng(`${options.seed}:seed`)
  const pools = buildPools(options.seed)

  const companyId = rng.id()
  const world: World = { locations: [], contacts: [], tasks: [], notes: [], appointments: [] }
  const drafts = Array.from({ length: options.locations }, () => generateLocation(rng, faker, companyId))
  world.locations = drafts.map(({ calendars: _, ...location }) => location)
  const total = options.locations * options.contacts
  const progress = onProgress && (() => world.contacts.length % SEED_PROGRESS_STEP === 0 && onProgress(world.contacts.length, total))
  for (const [l, location] of drafts.entries()) generateContacts(world, createRng(`${options.seed}:seed:${l}`), pools, location, options.contacts, progress)
  return world
}

function generateContacts(world: World, rng: Rng, pools: Pools, location: Location & { calendars: string[] }, count: number, progress?: () => void) {
  const { int, pick, chance, some, digits } = helpers(rng)
  const emails = new Set<string>()
  const phones = new Set<string>()
  const userIds = location.users.map((u) => u.id)

  const uniqueEmail = (first: string, last: string, company: string) => {
    const f = mailPart(first) || 'contact'
    const l = mailPart(last) || 'person'
    const local = pick([`${f}.${l}`, `${f}${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}.${l}${int(1, 99)}`])
    const domain = chance(0.6) ? pick(FREE_MAIL) : domainOf(company)
    let email = `${local}@${domain}`
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`
    emails.add(email)
    return email
  }
  const uniquePhone = () => {
    let phone: string
    do phone = `+1${int(2, 9)}${digits(2)}${int(2, 9)}${digits(6)}`
    while (phones.has(phone))
    phones.add(phone)
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
        return `EMP-${digits(5)}`
    }
  }
  const dndSettings = (all: boolean): NonNullable<Contact['dndSettings']> => {
    const channels = all ? DND_CHANNELS : some(DND_CHANNELS, 2)
    const settings: NonNullable<Contact['dndSettings']> = {}
    for (const ch of channels) settings[ch] = all || chance(0.7) ? { status: 'active', message: pick(DND_MESSAGES), code: '' } : { status: 'inactive' }
    return settings
  }

  for (let i = 0; i < count; i++) {
    const firstName = pick(pools.firstNames)
    const lastName = pick(pools.lastNames)
    const companyName = pick(pools.companies)
    const email = uniqueEmail(firstName, lastName, companyName)
    const added = FROM + Math.floor(rng.next() * (END - FROM))
    const updated = added + Math.floor(rng.next() * Math.min(30 * DAY, END - added))
    const id = rng.id()
    const dnd = chance(0.05)
    const contact: Contact = {
      id,
      locationId: location.id,
      firstName,
      lastName,
      name: `${firstName} ${lastName}`,
      firstNameLowerCase: firstName.toLowerCase(),
      lastNameLowerCase: lastName.toLowerCase(),
      fullNameLowerCase: `${firstName} ${lastName}`.toLowerCase(),
      email,
      emailLowerCase: email,
      phone: uniquePhone(),
      companyName,
      address1: pick(pools.streets),
      city: pick(pools.cities),
      state: pick(pools.states),
      country: 'US',
      postalCode: digits(5),
      website: `https://www.${domainOf(companyName)}`,
      timezone: pick(TIMEZONES),
      source: pick(SOURCES),
      type: chance(0.65) ? 'lead' : 'customer',
      tags: some(SEED_TAGS, 4),
      dnd,
      customFields: some(location.customFields, 3).map((f) => ({ id: f.id, value: fieldValue(f) })),
      dateAdded: iso(added),
      dateUpdated: iso(updated),
      followers: some(userIds, 2),
      campaigns: {},
      workflows: {},
    }
    if (dnd || chance(0.15)) contact.dndSettings = dndSettings(dnd)
    // Few enough per business that one fits on a default page (25) of GET /contacts/business/{id} at 200 contacts.
    if (chance(0.2)) contact.businessId = pick(location.businesses).id
    if (chance(0.5)) contact.assignedTo = pick(userIds)
    if (chance(0.4)) contact.dateOfBirth = day(FROM - int(18 * 365, 70 * 365) * DAY)
    world.contacts.push(contact)
    progress?.()

    // Distinct titles: a contact with the same task twice reads as a duplicate write (contracts/harness.ts checks).
    for (const title of some(TASK_TITLES, 3)) {
      world.tasks.push({
        id: rng.id(),
        contactId: id,
        locationId: location.id,
        title,
        body: pick(pools.sentences),
        assignedTo: pick(userIds),
        dueDate: iso(Math.floor(updated / DAY) * DAY + int(1, 60) * DAY + int(16, 35) * 1_800_000),
        completed: chance(0.4),
      })
    }
    for (let n = int(0, 3); n > 0; n--) {
      world.notes.push({
        id: rng.id(),
        contactId: id,
        locationId: location.id,
        body: pick(pools.paragraphs),
        userId: pick(userIds),
        dateAdded: iso(added + Math.floor(rng.next() * (END - added))),
      })
    }
    for (let a = int(0, 2); a > 0; a--) {
      // Whole half-hours between 08:00 and 17:30 UTC, within 120 days of the contact's arrival.
      const start = Math.floor(added / DAY) * DAY + int(1, 120) * DAY + int(16, 35) * 1_800_000
      const [status, appointmentStatus] = pick(APPOINTMENT_STATES)
      const assignedUserId = pick(userIds)
      // Booked after the contact arrived, some days ahead.
      const booked = iso(Math.max(added, start - int(1, 14) * DAY))
      world.appointments.push({
        id: rng.id(),
        contactId: id,
        locationId: location.id,
        calendarId: pick(location.calendars),
        title: `${pick(APPOINTMENT_KINDS)} with ${firstName}`,
        status,
        appointmentStatus,
        assignedUserId,
        users: [assignedUserId],
        notes: pick(pools.sentences),
        startTime: iso(start),
        endTime: iso(start + pick([1, 2]) * 1_800_000),
        address: chance(0.5) ? pick(pools.streets) : 'Zoom',
        dateAdded: booked,
        dateUpdated: booked,
      })
    }
  }
}
