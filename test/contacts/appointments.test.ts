/** GET /contacts/{contactId}/appointments (read-only: appointments are written through the Calendars API). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Appointment, Contact } from '../../mock/store/types.ts'
import { makeMock, type TestMock } from '../support/mock.ts'
import { checkVendorSchemas, ok } from '../support/answers.ts'

let m: TestMock
let booked: { contact: Contact; appointments: Appointment[] }
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAA'

beforeAll(async () => {
  m = await makeMock()
  const { contacts } = await m.state.store.listContacts(m.location.id, { limit: 1000 })
  for (const contact of contacts) {
    const appointments = await m.state.store.listAppointments(contact.id)
    if (appointments.length > 0) {
      booked = { contact, appointments }
      break
    }
  }
})

afterAll(() => {
  expect(m.state.selfCheckFailures).toEqual([])
})

describe('get-appointments-for-contact', () => {
  it("answers 200 {events} with the contact's appointments, valid against both specs", async () => {
    expect(booked, 'the seed gives some contact appointments').toBeDefined()
    const res = await m.http.get(`/contacts/${booked.contact.id}/appointments`).set(m.auth())
    expect(ok(res, 'get-appointments-for-contact')).toEqual({ events: booked.appointments })
    expect(res.body.events.every((e: Appointment) => e.contactId === booked.contact.id && e.locationId === m.location.id)).toBe(true)
  })

  it('a contact without appointments → {events: []}', async () => {
    const fresh = await m.state.store.createContact(m.location.id, { firstName: 'No', lastName: 'Bookings' })
    const res = await m.http.get(`/contacts/${fresh.id}/appointments`).set(m.auth())
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ events: [] })
  })

  it('unknown contact → 400; another location’s contact → 403', async () => {
    const res = await m.http.get(`/contacts/${UNKNOWN}/appointments`).set(m.auth())
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ statusCode: 400, message: `Contact with id ${UNKNOWN} not found` })
    const { contacts } = await m.state.store.listContacts(m.other.location.id, { limit: 1 })
    expect((await m.http.get(`/contacts/${contacts[0].id}/appointments`).set(m.auth())).status).toBe(403)
  })

  it('there is no write endpoint: POST and PUT answer the API’s 404', async () => {
    const id = booked.contact.id
    const post = await m.http.post(`/contacts/${id}/appointments`).set(m.auth()).send({ title: 'x' })
    expect(post.status).toBe(404)
    const put = await m.http.put(`/contacts/${id}/appointments/${booked.appointments[0].id}`).set(m.auth()).send({ title: 'x' })
    expect(put.status).toBe(404)
    expect(await m.state.store.listAppointments(id)).toEqual(booked.appointments)
  })
})

checkVendorSchemas()
