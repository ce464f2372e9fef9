export { currentRequest, requestScope, deadlinePassed, Permits, type LoginGuard, type RequestScope } from './request-scope';
export { applyRequestLimits } from './db-limits';
export { queryLimitRules, queryLimitsPlugin } from './query-limits';
export { operationCost, ASSUMED_LIST_SIZE } from './query-cost';
export { anonymousRateLimit } from './rate-limit';
