import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { AppError } from '../../common/errors/app-error';
import type { Context } from '../../context';
import { GrantCoverRepository, type CoverSubject, type UncoveredGrant } from './grant-cover.repository';

/** What the check is about: an account (by id), or a role (by id). */
export type GuardedSubject = CoverSubject;

function describe(g: UncoveredGrant): string {
  const limits = [
    g.ownOrgUnitOnly ? "in the holder's directorate" : null,
    g.limitedToArea ? 'in an area' : null,
    g.fields.length ? `revealing ${g.fields.join(', ')}` : null,
    g.holders ? `for ${g.holders} of its holders` : null,
  ].filter(Boolean);
  return [`${g.action} on ${g.resource}`, ...limits].join(' ');
}

/**
 * The rule of the administration surface, checked by every change to accounts and roles: nobody
 * gives (directly, or through a role) more than they hold themselves, and nobody changes an
 * account or a role that holds more than they do. A grant is covered when the request holds the
 * same action on the same resource with no narrower limit (see GrantCoverRepository).
 *
 * For an account: every grant it holds now (call it again after a change, on the same
 * transaction, to check what the change gives). For a role: its grants as the request would hold
 * them, and as each user holding it does. FORBIDDEN naming `doing`; with `explain`, the message and
 * `extensions.beyond` list the grants that go beyond (for grants the request gave itself: an
 * account's grants are not told to whoever may not read its roles).
 */
export async function requireWithinOwnGrants(
  ctx: Context,
  trx: Knex.Transaction,
  subject: GuardedSubject,
  doing: string,
  options: { explain?: boolean } = {},
): Promise<void> {
  const cover = new GrantCoverRepository(trx);
  if ('account' in subject) await cover.lockRolesOf(subject.account);
  const uncovered = await cover.uncovered({ grants: ctx.access.grants, ownOrgUnitIds: ctx.access.ownOrgUnitIds }, subject);
  if (uncovered.length === 0) return;
  if (!options.explain) {
    const what = 'account' in subject ? 'the account holds grants beyond yours' : 'the role (or what its holders hold through it) goes beyond your grants';
    throw forbidden(`you may not ${doing}: ${what}; only someone whose own grants cover them may`);
  }
  throw new AppError('FORBIDDEN', `you may not ${doing}: you may only give what your own grants cover, and ${uncovered.map(describe).join('; ')} goes beyond them`, {
    beyond: uncovered,
  });
}
