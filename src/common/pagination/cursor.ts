import { badInput } from '../errors/app-error';

/**
 * Opaque cursors. A list ordered by id pages by keyset (`id > last`), which stays stable while rows
 * are added; a list ordered by distance pages by offset within that ordering. The cursor says
 * which, so one from a different ordering is refused rather than silently misread.
 */
export type Cursor = { kind: 'id'; id: number } | { kind: 'offset'; offset: number };

export function encodeCursor(cursor: Cursor): string {
  const raw = cursor.kind === 'id' ? `id:${cursor.id}` : `offset:${cursor.offset}`;
  return Buffer.from(raw, 'utf8').toString('base64url');
}

export function decodeCursor(value: string, expected: Cursor['kind']): Cursor {
  const raw = Buffer.from(value, 'base64url').toString('utf8');
  const match = /^(id|offset):(\d{1,15})$/.exec(raw);
  if (!match || Buffer.from(raw, 'utf8').toString('base64url') !== value) {
    throw badInput(`malformed cursor "${value}": pass a cursor returned by this list`);
  }
  if (match[1] !== expected) {
    throw badInput(
      expected === 'offset'
        ? 'this cursor belongs to a list ordered by id, not by distance: start again without "after"'
        : 'this cursor belongs to a list ordered by distance: pass the same "nearest" argument',
    );
  }
  const n = Number(match[2]);
  return expected === 'id' ? { kind: 'id', id: n } : { kind: 'offset', offset: n };
}
