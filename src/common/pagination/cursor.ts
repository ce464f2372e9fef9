import { badInput } from '../errors/app-error';

/**
 * Opaque cursors. A list ordered by id pages by keyset (`id > last`), which stays stable while rows
 * are added; a list ordered by distance pages by keyset on (distance, id), so a page never repeats
 * or skips a row; other orderings page by offset. The cursor says which, so one from a different
 * ordering is refused rather than silently misread.
 */
export type Cursor =
  | { kind: 'id'; id: number }
  | { kind: 'offset'; offset: number }
  | { kind: 'distance'; distance: number; id: number };

export function encodeCursor(cursor: Cursor): string {
  const raw =
    cursor.kind === 'id' ? `id:${cursor.id}` : cursor.kind === 'offset' ? `offset:${cursor.offset}` : `distance:${cursor.distance}:${cursor.id}`;
  return Buffer.from(raw, 'utf8').toString('base64url');
}

export function decodeCursor(value: string, expected: Cursor['kind']): Cursor {
  const raw = Buffer.from(value, 'base64url').toString('utf8');
  // A distance is written as JavaScript writes a number, which reads back to the very same double.
  const match = /^(?:(id|offset):(\d{1,15})|(distance):([0-9.e+-]{1,32}):(\d{1,15}))$/.exec(raw);
  const distance = match?.[3] ? Number(match[4]) : undefined;
  if (
    !match ||
    Buffer.from(raw, 'utf8').toString('base64url') !== value ||
    (distance !== undefined && !(distance >= 0 && String(distance) === match[4]))
  ) {
    throw badInput(`malformed cursor "${value}": pass a cursor returned by this list`);
  }
  const kind = (match[1] ?? match[3]) as Cursor['kind'];
  if (kind !== expected) {
    throw badInput(
      expected === 'id'
        ? 'this cursor belongs to a list ordered by distance: pass the same "nearest" argument'
        : kind === 'id'
          ? 'this cursor belongs to a list ordered by id, not by distance: start again without "after"'
          : 'this cursor belongs to a list in another order: start again without "after"',
    );
  }
  if (kind === 'distance') return { kind, distance: distance!, id: Number(match[5]) };
  const n = Number(match[2]);
  return kind === 'id' ? { kind, id: n } : { kind, offset: n };
}
