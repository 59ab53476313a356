/**
 * A connector's contact triggers from webhooks: a receiver for ContactCreate,
 * ContactUpdate and ContactTagUpdate (by default) that verifies each delivery
 * (`createWebhookHandler`: X-GHL-Signature, timestamp, a webhookId seen before is
 * acknowledged and not handled again), reads the contact as it is now, and hands it to
 * `onContact`.
 *
 * Why read the contact again: deliveries come late, twice or out of order, and a
 * payload is the contact as it was when the event fired. The webhook says which contact
 * changed; the API says what is true now, so an old event arriving after a newer one
 * cannot undo it. `wants` filters on the payload first, without a request: skipping a
 * payload that lacks the trigger tag loses nothing, because the change that added the
 * tag sent an event of its own (and a lost one is what the nightly backfill is for).
 *
 * A failing `onContact` answers 429, the one status the platform delivers again (10
 * minutes later), and its webhookId is forgotten so that retry is handled.
 */
import { isGhlError } from './errors.ts'
import type { GhlClient } from './index.ts'
import type { Contact } from './types.ts'
import type { ContactWebhook, WebhookEvent } from './webhook-events.ts'
import { WebhookRetryLater, createWebhookHandler, type WebhookHandlerOptions } from './webhooks.ts'

export const CONTACT_TRIGGER_EVENTS = ['ContactCreate', 'ContactUpdate', 'ContactTagUpdate'] as const
export type ContactTriggerEvent = ContactWebhook['type']

export interface ContactTriggerOptions extends Omit<WebhookHandlerOptions, 'onEvent'> {
  /** Reads the contact each event names (`contacts.get`). */
  ghl: Pick<GhlClient, 'contacts'>
  /** The events that trigger (default ContactCreate, ContactUpdate, ContactTagUpdate); others are acknowledged and ignored. */
  events?: readonly ContactTriggerEvent[]
  /** Decide on the payload whether the contact is worth reading (e.g. it has a trigger tag). Default: every one. */
  wants?(event: ContactWebhook): boolean
  /** The contact as it is now. Throw to have the platform deliver the event again later. */
  onContact(contact: Contact, event: ContactWebhook): unknown | Promise<unknown>
  /** Told of every webhook handled (any type, acted on or skipped), once each: what the harness's `webhook.handled` wants. */
  onHandled?(webhookId: string, event: WebhookEvent): void
}

export type ContactTriggers = ReturnType<typeof createWebhookHandler>

export function createContactTriggers(options: ContactTriggerOptions): ContactTriggers {
  const { ghl, events = CONTACT_TRIGGER_EVENTS, wants, onContact, onHandled, ...verifier } = options
  const isTrigger = (e: WebhookEvent): e is ContactWebhook => (events as readonly string[]).includes(e.type)
  async function onEvent(event: WebhookEvent) {
    if (isTrigger(event) && (!wants || wants(event))) {
      let contact: Contact | undefined
      try {
        contact = (await ghl.contacts.get(event.id)).contact
      } catch (err) {
        // Deleted since: nothing left to act on.
        if (!(isGhlError(err) && err.kind === 'not-found')) throw new WebhookRetryLater(`reading contact ${event.id} failed`, { cause: err })
      }
      try {
        if (contact) await onContact(contact, event)
      } catch (err) {
        throw new WebhookRetryLater(`handling contact ${event.id} failed`, { cause: err })
      }
    }
    onHandled?.(event.webhookId, event)
  }
  return createWebhookHandler({ ...verifier, onEvent })
}
