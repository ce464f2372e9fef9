import { badInput } from '../../../common/errors/app-error';

/**
 * A text encoding's WHATWG label from what a .cpg file or --encoding says: "UTF-8", "1254",
 * "CP1254", "windows-1254", "ANSI 1254", "ISO-8859-9", "ISO 8859-9", "8859_9" … BAD_USER_INPUT for
 * one that Node.js's TextDecoder does not know.
 */
export function encodingLabel(text: string, from: string): string {
  const t = text.trim().toLowerCase().replace(/^ansi\s*/, '');
  let label = t;
  if (/^(cp|windows-?|win)?125\d$/.test(t)) label = `windows-${t.slice(-4)}`;
  else if (/^65001$/.test(t) || /^utf-?8$/.test(t)) label = 'utf-8';
  else if (/^(iso[-_ ]?)?8859[-_ ]?\d+$/.test(t)) label = `iso-8859-${/(\d+)$/.exec(t)![1]}`;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw badInput(`${from}: unknown text encoding ${JSON.stringify(text.trim())} (use e.g. UTF-8, cp1254 or ISO-8859-9)`);
  }
}
