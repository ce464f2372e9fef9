import type { Knex } from 'knex';
import { forbidden } from '../../common/auth/access';
import { Action } from '../../common/auth/resources';
import { AppError, badInput, notFound } from '../../common/errors/app-error';
import type { Context } from '../../context';
import { LayerEditRepository } from '../../geo/layer-edit.repository';
import { recordAudit } from '../audit';
import { assetLayer } from './asset.repository';
import { AssetState } from './asset.type';

const S = AssetState;

/** Every allowed change of an asset's state. DISPOSED is final. */
export const ASSET_TRANSITIONS: Record<AssetState, readonly AssetState[]> = {
  [S.IN_STOCK]: [S.IN_USE, S.FAULTY, S.PENDING_DISPOSAL, S.LOST],
  [S.IN_USE]: [S.IN_STOCK, S.FAULTY, S.PENDING_DISPOSAL, S.LOST],
  [S.FAULTY]: [S.IN_REPAIR, S.AT_VENDOR, S.IN_USE, S.IN_STOCK, S.PENDING_DISPOSAL],
  [S.IN_REPAIR]: [S.FAULTY, S.AT_VENDOR, S.IN_USE, S.IN_STOCK, S.PENDING_DISPOSAL],
  [S.AT_VENDOR]: [S.IN_REPAIR, S.FAULTY, S.IN_USE, S.IN_STOCK, S.PENDING_DISPOSAL],
  [S.PENDING_DISPOSAL]: [S.DISPOSED, S.IN_STOCK, S.IN_USE, S.FAULTY],
  [S.DISPOSED]: [],
  [S.LOST]: [S.IN_STOCK],
};

/** Who moves an asset between states: a person directly, its fault, or its disposal. */
export type TransitionVia = 'MANUAL' | 'FAULT' | 'DISPOSAL';

/** The states each workflow owns; a direct change may not enter or leave them. */
const OWNED_BY: Partial<Record<AssetState, TransitionVia>> = {
  [S.FAULTY]: 'FAULT',
  [S.IN_REPAIR]: 'FAULT',
  [S.AT_VENDOR]: 'FAULT',
  [S.PENDING_DISPOSAL]: 'DISPOSAL',
  [S.DISPOSED]: 'DISPOSAL',
};

/** Checks a change of state; BAD_USER_INPUT naming the allowed ones when refused. */
export function checkTransition(from: AssetState, to: AssetState, via: TransitionVia): void {
  const allowed = ASSET_TRANSITIONS[from];
  if (!allowed.includes(to)) {
    throw badInput(
      `an asset that is ${from} cannot become ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (it is final)'}`,
      { allowed: [...allowed] },
    );
  }
  if (via === 'MANUAL') {
    const owner = OWNED_BY[from] ?? OWNED_BY[to];
    if (owner === 'FAULT') throw badInput(`an asset enters and leaves ${OWNED_BY[from] ? from : to} through its fault: report, work or resolve the fault instead`);
    if (owner === 'DISPOSAL') throw badInput(`an asset enters and leaves ${OWNED_BY[from] ? from : to} through its disposal: propose, decide or execute it instead`);
  }
}

/**
 * Changes an asset's state inside the caller's transaction: the asset locked within the request's
 * read scope (NOT_FOUND), for a MANUAL change its UPDATE scope (FORBIDDEN), the version when given
 * (CONFLICT), the transition (BAD_USER_INPUT), then the write and its audit row. Faults and disposals call this in
 * their own transactions, so their record and the asset never disagree.
 */
export async function transitionAsset(
  trx: Knex.Transaction,
  ctx: Context,
  assetId: number,
  to: AssetState,
  via: TransitionVia,
  version?: number,
): Promise<{ from: AssetState; version: number }> {
  const edit = new LayerEditRepository(trx, assetLayer(ctx.db), ctx.access);
  const current = await edit.lock(assetId, Action.UPDATE);
  if (!current) throw notFound('asset', assetId);
  // A workflow (a fault report, a disposal) is authorised by its own grants; a direct change needs
  // the grant to update this asset.
  if (via === 'MANUAL' && !current.allowed) {
    throw forbidden(`you may not change asset ${assetId}: it is outside the area or directorate where you may update assets`);
  }
  if (version !== undefined && current.version !== version) {
    throw new AppError('CONFLICT', `asset ${assetId} has changed since you read it: it is at version ${current.version}, not ${version}; read it again`, {
      currentVersion: current.version,
    });
  }
  const from = current.before.state as AssetState;
  if (from === to) return { from, version: current.version };
  checkTransition(from, to, via);
  const written = await edit.update(assetId, { state: to }, null);
  await recordAudit(trx, ctx, {
    entity: 'ASSETS',
    entityId: assetId,
    action: Action.UPDATE,
    before: current.before,
    after: written.after,
    geometries: [written.geom],
  });
  return { from, version: current.version + 1 };
}
