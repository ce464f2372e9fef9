import { isIP } from 'node:net';

/**
 * Why a text is not an IP address as PostgreSQL's inet takes it (an IPv4 or IPv6 address, with an
 * optional /prefix), or undefined when it is one.
 */
export function ipAddressProblem(text: string): string | undefined {
  const [address, prefix, ...rest] = text.trim().split('/');
  const version = isIP(address);
  const bits = version === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  if (version && prefixOk && rest.length === 0) return undefined;
  return `${JSON.stringify(text)} is not an IP address (e.g. 10.20.30.40, 10.20.30.0/24 or 2001:db8::1)`;
}

/** The forms of a MAC address PostgreSQL's macaddr reads (six bytes, grouped by 1, 2, 3 or 6). */
const MAC_FORMS = [
  /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i, // 08:00:2b:01:02:03, 08-00-2b-01-02-03
  /^[0-9a-f]{6}[:-]?[0-9a-f]{6}$/i, // 08002b:010203, 08002b-010203, 08002b010203
  /^[0-9a-f]{4}([.-])[0-9a-f]{4}\1[0-9a-f]{4}$/i, // 0800.2b01.0203, 0800-2b01-0203
];

/** Why a text is not a MAC address as PostgreSQL's macaddr takes it, or undefined when it is one. */
export function macAddressProblem(text: string): string | undefined {
  if (MAC_FORMS.some((re) => re.test(text.trim()))) return undefined;
  return `${JSON.stringify(text)} is not a MAC address (e.g. 08:00:2b:01:02:03)`;
}
