/**
 * What text input may hold. Every string a client sends (arguments, input fields, and the strings
 * inside GeoJSON) is checked once, before anything runs: PostgreSQL cannot store a NUL character at
 * all, the other C0 control characters and DEL make no sense in names, codes, searches or notes
 * (and can hide text in logs and terminals), and an unpaired UTF-16 surrogate is not Unicode text
 * (the driver would silently store U+FFFD instead). Tab, line feed and carriage return are allowed:
 * notes and descriptions are free text.
 */

// C0 controls but tab (U+0009), line feed (U+000A) and carriage return (U+000D); and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

// With the u flag a well-formed pair is one code point: only an unpaired surrogate is in Cs.
const LONE_SURROGATE = /\p{Cs}/u;

const codePoint = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` is not acceptable input, or undefined when it is. */
export function textProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control) {
    return `contains the control character ${codePoint(control[0])} (at character ${control.index + 1}); text may hold tabs and line breaks but no other control characters`;
  }
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text';
  return undefined;
}
