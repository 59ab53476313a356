/**
 * Every Contacts operation the client calls, with its method and path, and which ones
 * are safe to send twice. The record is keyed by the spec's operationIds, so the type
 * checker refuses to compile when an operation is missing, and a test compares the
 * table with the spec itself.
 */
import type { OperationId } from './types.ts'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface OperationInfo {
  method: Method
  path: string
  /** May be retried after an ambiguous failure: repeating it cannot create a second record or trigger twice. */
  retrySafe: boolean
}

const op = (method: Method, path: string, retrySafe = method !== 'POST'): OperationInfo => ({ method, path, retrySafe })

export const OPERATIONS: Record<OperationId, OperationInfo> = {
  'get-contact': op('GET', '/contacts/{contactId}'),
  'update-contact': op('PUT', '/contacts/{contactId}'),
  'delete-contact': op('DELETE', '/contacts/{contactId}'),
  'create-contact': op('POST', '/contacts/'),
  'get-contacts': op('GET', '/contacts/'),
  // Upsert matches the existing contact, so sending it twice updates the same record.
  'upsert-contact': op('POST', '/contacts/upsert', true),
  // Read-only despite the POST.
  'search-contacts-advanced': op('POST', '/contacts/search', true),
  'get-duplicate-contact': op('GET', '/contacts/search/duplicate'),
  'get-contacts-by-businessId': op('GET', '/contacts/business/{businessId}'),
  'add-remove-contact-from-business': op('POST', '/contacts/bulk/business', true),
  'bulk-update-tags': op('POST', '/contacts/bulk/tags/update/{type}', true),
  'get-all-tasks': op('GET', '/contacts/{contactId}/tasks'),
  'create-task': op('POST', '/contacts/{contactId}/tasks'),
  'get-task': op('GET', '/contacts/{contactId}/tasks/{taskId}'),
  'update-task': op('PUT', '/contacts/{contactId}/tasks/{taskId}'),
  'delete-task': op('DELETE', '/contacts/{contactId}/tasks/{taskId}'),
  'update-task-completed': op('PUT', '/contacts/{contactId}/tasks/{taskId}/completed'),
  'get-appointments-for-contact': op('GET', '/contacts/{contactId}/appointments'),
  // Tags and followers are sets: adding one twice leaves the same set.
  'add-tags': op('POST', '/contacts/{contactId}/tags', true),
  'remove-tags': op('DELETE', '/contacts/{contactId}/tags'),
  'get-all-notes': op('GET', '/contacts/{contactId}/notes'),
  'create-note': op('POST', '/contacts/{contactId}/notes'),
  'get-note': op('GET', '/contacts/{contactId}/notes/{id}'),
  'update-note': op('PUT', '/contacts/{contactId}/notes/{id}'),
  'delete-note': op('DELETE', '/contacts/{contactId}/notes/{id}'),
  'add-followers-contact': op('POST', '/contacts/{contactId}/followers', true),
  'remove-followers-contact': op('DELETE', '/contacts/{contactId}/followers'),
  // Enrolment may start a campaign or workflow run each time: not retried blindly.
  'add-contact-to-campaign': op('POST', '/contacts/{contactId}/campaigns/{campaignId}'),
  'remove-contact-from-campaign': op('DELETE', '/contacts/{contactId}/campaigns/{campaignId}'),
  'remove-contact-from-every-campaign': op('DELETE', '/contacts/{contactId}/campaigns/removeAll'),
  'add-contact-to-workflow': op('POST', '/contacts/{contactId}/workflow/{workflowId}'),
  'delete-contact-from-workflow': op('DELETE', '/contacts/{contactId}/workflow/{workflowId}'),
}
