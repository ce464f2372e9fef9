import { unauthenticated } from './access-token';

/** A username and password (or API token) from an `Authorization: Basic …` header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The challenges of a 401 on the routes that take HTTP Basic besides Bearer tokens (/ogc, /tiles),
 * one per header line (RFC 7235; a client that splits one line at commas may stumble on Basic's
 * own parameters). `charset="UTF-8"` (RFC 7617): the credentials are read as UTF-8.
 */
export const BASIC_AND_BEARER_CHALLENGES: readonly string[] = ['Basic realm="kbs", charset="UTF-8"', 'Bearer realm="kbs"'];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The credentials of a Basic header's parameter (`base64(username ":" password)`, RFC 7617), in
 * UTF-8. Anything else is UNAUTHENTICATED (401) saying what is wrong: not base64, not UTF-8, no
 * colon, no username.
 */
export function parseBasicCredentials(encoded: string): BasicCredentials {
  const hint = 'send "Basic " and base64 of "username:password" in UTF-8';
  if (encoded === '' || !BASE64.test(encoded)) throw unauthenticated(`the Basic credentials are not valid base64: ${hint}`);
  let text: string;
  try {
    text = utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw unauthenticated(`the Basic credentials are not valid UTF-8: ${hint}`);
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw unauthenticated(`the Basic credentials have no colon between username and password: ${hint}`);
  const username = text.slice(0, colon);
  if (username.trim() === '') throw unauthenticated(`the Basic credentials have no username: ${hint}`);
  if (/[\u0000-\u001f\u007f]/.test(text)) throw unauthenticated(`the Basic credentials contain control characters: ${hint}`);
  return { username, password: text.slice(colon + 1) };
}
