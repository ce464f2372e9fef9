export { newRequestScope, deadlinePassed, Permits, type LoginGuard, type RequestScope, type RequestScopeOptions } from './request-scope';
export { applyStatementTimeout, requestDatabase, requestScopeOf } from './db-limits';
export { audienceAllows, costError, queryLimitRules, queryLimitsPlugin } from './query-limits';
export { operationCost, ASSUMED_LIST_SIZE } from './query-cost';
export { anonymousRateLimit } from './rate-limit';
