import type { Knex } from 'knex';
import { hashPassword } from '../src/common/auth/password';
import { STAFF } from './data/staff';

/** The password of every sample PERSON account. Sample data only: never on a real database's users. */
export const SAMPLE_PASSWORD = 'nizip-ornek-2026';

const USERS = [
  { username: 'ayse.demir', fullName: 'Ayşe Demir', orgUnit: 'SISTEM', kind: 'PERSON' },
  { username: 'mehmet.yilmaz', fullName: 'Mehmet Yılmaz', orgUnit: 'TEKNIK', kind: 'PERSON' },
  { username: 'fatma.kaya', fullName: 'Fatma Kaya', orgUnit: 'FEN', kind: 'PERSON' },
  { username: 'ali.celik', fullName: 'Ali Çelik', orgUnit: 'ZAB', kind: 'PERSON' },
  { username: 'zeynep.arslan', fullName: 'Zeynep Arslan', orgUnit: 'IMAR', kind: 'PERSON' },
  { username: 'elif.yurt', fullName: 'Elif Yurt', orgUnit: 'MALI', kind: 'PERSON' },
  { username: 'svc-ebys', fullName: 'EBYS entegrasyonu', orgUnit: 'YAZI', kind: 'SERVICE' },
] as const;

/**
 * Sample accounts of the directorates, and the staff the sample registers name (./data/staff):
 * staff have no password, so they cannot log in until an administrator sets one. Upserted by
 * username; a password and the active flag are set only when the account is created, so
 * re-running never resets a changed one.
 */
export async function seed(knex: Knex): Promise<void> {
  const hash = await hashPassword(SAMPLE_PASSWORD);
  const rows = [
    ...USERS.map((u) => ({
      ...u,
      passwordHash: u.kind === 'PERSON' ? hash : null,
      email: u.kind === 'PERSON' ? `${u.username}@nizip.bel.tr` : null,
      active: true,
    })),
    ...STAFF.map((s) => ({
      username: s.username,
      fullName: s.fullName,
      orgUnit: s.orgUnit,
      kind: 'PERSON',
      passwordHash: null,
      email: `${s.username}@nizip.bel.tr`,
      // Those who have left keep their account (the records name them), inactive.
      active: !s.leftOn,
    })),
  ];
  const { rows: created } = await knex.raw(
    `INSERT INTO users (org_unit_id, username, full_name, kind, password_hash, email, active)
     SELECT o.id, u->>'username', u->>'fullName', u->>'kind', u->>'passwordHash', u->>'email', (u->>'active')::boolean
     FROM json_array_elements(?::json) WITH ORDINALITY AS e(u, n)
     JOIN org_units o ON o.code = u->>'orgUnit'
     ORDER BY e.n
     ON CONFLICT ((lower(username))) DO UPDATE SET
       org_unit_id = EXCLUDED.org_unit_id, full_name = EXCLUDED.full_name, kind = EXCLUDED.kind,
       email = coalesce(users.email, EXCLUDED.email), updated_at = now()
     RETURNING username, kind, (xmax = 0) AS inserted, password_hash IS NOT NULL AS "hasPassword"`,
    [JSON.stringify(rows)],
  );
  const fresh = (created as { username: string; kind: string; inserted: boolean; hasPassword: boolean }[])
    .filter((r) => r.inserted && r.kind === 'PERSON' && r.hasPassword)
    .map((r) => r.username);
  if (fresh.length) {
    // A known password is fine on the sample database, not on a real one: say so where it is set.
    console.warn(`[kbs] sample accounts created with the password "${SAMPLE_PASSWORD}": ${fresh.join(', ')}. ` +
      'Deactivate them or change their passwords on any database that holds real data.');
  }
}
