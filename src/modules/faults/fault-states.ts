import { badInput } from '../../common/errors/app-error';
import { AssetState } from '../assets';
import { FaultState } from './fault.type';

const S = FaultState;

/** Every allowed step of a fault. ASSIGNED → ASSIGNED is a reassignment; CANCELLED is final. */
export const FAULT_TRANSITIONS: Record<FaultState, readonly FaultState[]> = {
  [S.NEW]: [S.ASSIGNED, S.CANCELLED],
  [S.ASSIGNED]: [S.ASSIGNED, S.IN_PROGRESS, S.CANCELLED],
  [S.IN_PROGRESS]: [S.WAITING_PARTS, S.WAITING_VENDOR, S.RESOLVED],
  [S.WAITING_PARTS]: [S.IN_PROGRESS],
  [S.WAITING_VENDOR]: [S.IN_PROGRESS],
  [S.RESOLVED]: [S.CLOSED, S.REOPENED],
  [S.CLOSED]: [S.REOPENED],
  [S.REOPENED]: [S.ASSIGNED, S.IN_PROGRESS, S.CANCELLED],
  [S.CANCELLED]: [],
};

/** A fault in one of these is no longer open (at most one open fault per asset). */
export const FINISHED_STATES: readonly FaultState[] = [S.RESOLVED, S.CLOSED, S.CANCELLED];

/** States of an asset that its open fault has put it in. */
export const FAULT_ASSET_STATES: readonly AssetState[] = [AssetState.FAULTY, AssetState.IN_REPAIR, AssetState.AT_VENDOR];

/** BAD_USER_INPUT naming the allowed steps unless the fault may go from `from` to `to`. */
export function checkFaultTransition(from: FaultState, to: FaultState): void {
  const allowed = FAULT_TRANSITIONS[from];
  if (allowed.includes(to)) return;
  throw badInput(
    `a fault that is ${from} cannot become ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (it is final)'}`,
    { allowed: [...allowed] },
  );
}

/**
 * Where a resolved or cancelled fault returns its asset: the state the report interrupted, unless
 * that was itself a fault's state (an asset found faulty without a record), then IN_USE.
 */
export function restoredAssetState(before: string | null): AssetState {
  const state = before as AssetState | null;
  return state && !FAULT_ASSET_STATES.includes(state) ? state : AssetState.IN_USE;
}
