/**
 * `npm run token -- create <service-account> "<what it is for>" [days]`: issues an API token and
 * prints its secret, once. `npm run token -- list [account]`, `npm run token -- revoke <id>`.
 * Acts on DATABASE_URL, or on the embedded database in KBS_DATA_DIR when it is unset.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { migrateLatest } from '../src/db/migrate';
import { userInfo } from 'node:os';
import { Action, Resource } from '../src/common/auth/resources';
import { recordAudit } from '../src/modules/audit';
import { ApiTokenRepository, authService, UserRepository } from '../src/modules/users';

/** The audit log's actor for this command: no user, and the operating-system account in the request id. */
const CLI = { identity: null, requestId: `cli:${userInfo().username}` };

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateLatest(db.knex);
    const users = new UserRepository(db.knex);
    const tokens = new ApiTokenRepository(db.knex);
    if (command === 'create' && args.length >= 2) {
      const days = args[2] === undefined ? undefined : Number(args[2]);
      if (days !== undefined && !(days > 0)) throw new Error('days must be a positive number');
      const expiresAt = days === undefined ? null : new Date(Date.now() + days * 86_400_000);
      const user = await users.byUsername(args[0]);
      if (!user) throw new Error(`no user named ${args[0]}`);
      // Audited like the createApiToken mutation, in the same transaction; the actor is this command.
      const { token, secret } = await db.knex.transaction(async (trx) => {
        const issued = await authService.issueApiToken(trx, user, args[1], expiresAt);
        await recordAudit(trx, CLI, { entity: Resource.API_TOKENS, entityId: issued.token.id, action: Action.CREATE, before: null, after: issued.snapshot });
        return issued;
      });
      console.log(`token ${token.id} for ${args[0]} (${token.name}), expires ${token.expiresAt?.toISOString() ?? 'never'}`);
      console.log(`secret (shown only now; send it as "Authorization: Bearer <secret>"):\n${secret}`);
    } else if (command === 'list') {
      const user = args[0] === undefined ? undefined : await users.byUsername(args[0]);
      if (args[0] !== undefined && !user) throw new Error(`no user named ${args[0]}`);
      for (const t of await tokens.list(user ? { userIds: [user.id] } : {})) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.expiresAt && t.expiresAt < new Date() ? 'expired' : 'active';
        console.log(`${t.id}\t${t.tokenPrefix}…\tuser ${t.userId}\t${t.name}\t${state}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`);
      }
    } else if (command === 'revoke' && args.length === 1) {
      const id = Number(args[0]);
      await db.knex.transaction(async (trx) => {
        const [before] = await new ApiTokenRepository(trx).list({ ids: [id] });
        if (!before) throw new Error(`no API token ${args[0]}`);
        if (before.revokedAt) return;
        await new ApiTokenRepository(trx).revoke(id);
        await recordAudit(trx, CLI, { entity: Resource.API_TOKENS, entityId: id, action: Action.DELETE, before, after: null });
      });
      console.log(`token ${args[0]} revoked`);
    } else {
      throw new Error('usage: token create <service-account> "<name>" [days] | token list [account] | token revoke <id>');
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(`[kbs] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
