/**
 * The one normalisation email and phone are matched by: duplicate checks, the store's
 * indexes, search and the handlers all compare these keys, so they cannot disagree.
 */
export const emailKey = (email: string | null | undefined) => (email ? email.trim().toLowerCase() : '')
export const phoneKey = (phone: string | null | undefined) => (phone ? phone.replace(/\D/g, '') : '')
