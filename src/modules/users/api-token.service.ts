import { forbidden } from '../../common/auth/access';
import { Action, Resource } from '../../common/auth/resources';
import { notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import type { Context } from '../../context';
import { recordAudit } from '../audit';
import { requireWithinOwnGrants } from '../permissions';
import { ApiTokenRepository, type ApiTokenRow } from './api-token.repository';
import { authService } from './auth.service';
import { UserEditRepository } from './user-edit.repository';

/** API tokens of service accounts, administered through GraphQL: listed, issued, revoked; audited. */
export const apiTokenService = {
  /** The tokens the request may read, of one user or of all. */
  list(ctx: Context, userIdArg: string | null | undefined): Promise<ApiTokenRow[]> {
    ctx.access.require(Resource.API_TOKENS, Action.READ, 'API tokens');
    const filter = userIdArg == null ? {} : { userIds: [parseId(userIdArg, 'userId')] };
    return new ApiTokenRepository(ctx.db).list(filter, ctx.access);
  },

  /** Issues a token to a service account the request may read; the secret is in the answer only. */
  async create(ctx: Context, userIdArg: string, name: string, expiresAt: Date | null): Promise<{ token: ApiTokenRow; secret: string }> {
    ctx.access.require(Resource.API_TOKENS, Action.CREATE, 'API tokens');
    const userId = parseId(userIdArg, 'userId');
    return ctx.db.transaction(async (trx) => {
      const user = await new UserEditRepository(trx, ctx.access).lock(userId, { resource: Resource.API_TOKENS, action: Action.CREATE });
      if (!user) throw notFound('user', userId);
      if (!user.allowed) throw forbidden(`you may not create API tokens for user ${userId}: the account is outside your directorate`);
      // A token acts with every grant of its account: only someone who may do all it may issue one.
      await requireWithinOwnGrants(ctx, trx, { account: userId }, `create API tokens for user ${userId}`);
      const { token, secret, snapshot } = await authService.issueApiToken(trx, user, name, expiresAt);
      await recordAudit(trx, ctx, { entity: Resource.API_TOKENS, entityId: token.id, action: Action.CREATE, before: null, after: snapshot });
      return { token, secret };
    });
  },

  /**
   * Revokes a token: it stops working at once and for good. Revoking a revoked token changes
   * nothing, so it writes no audit row either.
   */
  async revoke(ctx: Context, idArg: string): Promise<ApiTokenRow> {
    ctx.access.require(Resource.API_TOKENS, Action.DELETE, 'API tokens');
    const id = parseId(idArg, 'id');
    return ctx.db.transaction(async (trx) => {
      const tokens = new ApiTokenRepository(trx);
      const current = await tokens.lock(id, ctx.access, Action.DELETE);
      if (!current) throw notFound('API token', id);
      if (!current.allowed) throw forbidden(`you may not revoke API token ${id}: its account is outside your directorate`);
      await requireWithinOwnGrants(ctx, trx, { account: current.token.userId }, `revoke API token ${id}`);
      if (current.token.revokedAt) return current.token;
      await tokens.revoke(id);
      await recordAudit(trx, ctx, { entity: Resource.API_TOKENS, entityId: id, action: Action.DELETE, before: current.before, after: null });
      const [revoked] = await tokens.list({ ids: [id] });
      return revoked;
    });
  },
};
