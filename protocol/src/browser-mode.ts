/**
 * Browser mode (`netloom serve`, DESIGN §8): one page at a time. When a second page of the same
 * browser session connects, the first one's WebSocket is closed with this code (4000–4999 are
 * the application's own, RFC 6455 §7.4.2) and reason; that page then stops reconnecting by
 * itself and offers to take the session back.
 */
export const TAKEN_OVER_CLOSE_CODE = 4001;
export const TAKEN_OVER_REASON = 'netloom was opened in another page or tab; this page is no longer connected';
