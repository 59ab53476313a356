/**
 * Deterministic seed data: the same seed gives the same world, ids included. Dates are
 * derived from the seed only (never the wall clock), so a seeded world is byte-identical
 * run after run.
 */
import { Faker, en } from '@faker-js/faker'
import { createRng, seedToNumber } from '../rng.ts'
import type { Appointment, Contact, CustomFieldDefinition, Location, NamedRef, Note, SeedOptions, Task } from '../store/types.ts'

export interface World {
  locations: Location[]
  contacts: Contact[]
  tasks: Task[]
  notes: Note[]
  appointments: Appointment[]
}

const TAGS = ['trainee', 'vip', 'newsletter', 'lead-2024', 'partner', 'webinar', 'cold', 'customer']
const SOURCES = ['public api', 'web form', 'facebook', 'import', 'referral']
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
const SPAN = Date.UTC(2025, 5, 30) - FROM

export function generateWorld(options: SeedOptions): World {
  const faker = new Faker({ locale: [en] })
  faker.seed(seedToNumber(options.seed))
  const rng = createRng(`${options.seed}:seed`)
  const iso = (ms: number) => new Date(ms).toISOString()
  const pick = <T>(list: T[]) => list[Math.floor(rng.next() * list.length)]
  const some = <T>(list: T[], max: number) => faker.helpers.arrayElements(list, { min: 0, max })
  const refs = (n: number, name: () => string): NamedRef[] => Array.from({ length: n }, () => ({ id: rng.id(), name: name() }))

  const companyId = rng.id()
  const world: World = { locations: [], contacts: [], tasks: [], notes: [], appointments: [] }

  for (let l = 0; l < options.locations; l++) {
    const location: Location = {
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
    }
    world.locations.push(location)

    const emails = new Set<string>()
    for (let i = 0; i < options.contacts; i++) {
      const firstName = faker.person.firstName()
      const lastName = faker.person.lastName()
      let email = faker.internet.email({ firstName, lastName }).toLowerCase()
      if (emails.has(email)) email = email.replace('@', `.${i}@`)
      emails.add(email)
      const added = FROM + Math.floor(rng.next() * SPAN)
      const updated = added + Math.floor(rng.next() * 30 * 86_400_000)
      const id = rng.id()
      const fields = some(location.customFields, 3)
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
        phone: `+1${faker.string.numeric({ length: 10, allowLeadingZeros: false })}`,
        companyName: faker.company.name(),
        address1: faker.location.streetAddress(),
        city: faker.location.city(),
        state: faker.location.state({ abbreviated: true }),
        country: 'US',
        postalCode: faker.location.zipCode('#####'),
        website: faker.internet.url(),
        timezone: pick(['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Europe/London']),
        source: pick(SOURCES),
        type: pick(['lead', 'customer']),
        tags: some(TAGS, 4),
        dnd: rng.next() < 0.05,
        customFields: fields.map((f) => ({ id: f.id, value: fieldValue(f, faker) })),
        dateAdded: iso(added),
        dateUpdated: iso(updated),
        followers: some(location.users, 2).map((u) => u.id),
        campaigns: {},
        workflows: {},
      }
      if (rng.next() < 0.3) contact.businessId = pick(location.businesses).id
      if (rng.next() < 0.5) contact.assignedTo = pick(location.users).id
      if (rng.next() < 0.4) contact.dateOfBirth = faker.date.birthdate({ min: 18, max: 70, mode: 'age', refDate: FROM }).toISOString().slice(0, 10)
      world.contacts.push(contact)

      for (let t = faker.number.int({ min: 0, max: 3 }); t > 0; t--) {
        world.tasks.push({
          id: rng.id(),
          contactId: id,
          locationId: location.id,
          title: faker.company.buzzPhrase(),
          body: faker.lorem.sentence(),
          assignedTo: pick(location.users).id,
          dueDate: iso(updated + Math.floor(rng.next() * 60 * 86_400_000)),
          completed: rng.next() < 0.4,
        })
      }
      for (let n = faker.number.int({ min: 0, max: 3 }); n > 0; n--) {
        world.notes.push({
          id: rng.id(),
          contactId: id,
          locationId: location.id,
          body: faker.lorem.paragraph(),
          userId: pick(location.users).id,
          dateAdded: iso(added + Math.floor(rng.next() * 90 * 86_400_000)),
        })
      }
      for (let a = faker.number.int({ min: 0, max: 2 }); a > 0; a--) {
        const start = added + Math.floor(rng.next() * 120 * 86_400_000)
        world.appointments.push({
          id: rng.id(),
          contactId: id,
          locationId: location.id,
          calendarId: rng.id(),
          title: `${pick(['Onboarding', 'Training', 'Review', 'Check-in'])} with ${firstName}`,
          status: pick(['booked', 'confirmed', 'cancelled', 'showed']),
          appointmentStatus: pick(['confirmed', 'new', 'cancelled', 'showed']),
          assignedUserId: pick(location.users).id,
          notes: faker.lorem.sentence(),
          startTime: iso(start),
          endTime: iso(start + 3_600_000),
          address: faker.location.streetAddress(),
          dateAdded: iso(start - 86_400_000),
          dateUpdated: iso(start - 86_400_000),
        })
      }
    }
  }
  return world
}

function fieldValue(field: CustomFieldDefinition, faker: Faker): string {
  switch (field.dataType) {
    case 'SINGLE_OPTIONS':
      return faker.helpers.arrayElement(field.options ?? ['a'])
    case 'NUMERICAL':
      return String(faker.number.int({ min: 0, max: 200 }))
    case 'CHECKBOX':
      return 'yes'
    case 'DATE':
      return faker.date.between({ from: FROM, to: FROM + SPAN }).toISOString().slice(0, 10)
    case 'LARGE_TEXT':
      return faker.lorem.sentences(2)
    default:
      return faker.string.alphanumeric(8).toUpperCase()
  }
}
