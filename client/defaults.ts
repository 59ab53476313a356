/** Where the client talks to unless told otherwise. */
export const DEFAULT_BASE_URL = 'https://services.leadconnectorhq.com'
/** The mock's default address (`npm start`). */
export const MOCK_BASE_URL = 'http://127.0.0.1:4010'
/** The version the Contacts endpoints document. */
export const DEFAULT_VERSION = '2021-07-28'
