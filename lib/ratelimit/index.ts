export { registerRateLimitGuard, rateLimitGuard } from './guard';
export { limitAuthenticatedClient, isClientAuthenticatedEndpoint } from './client-limit';
export { checkLoginAllowed, checkSecondFactorAllowed, recordLoginFailure, STUFFING_FAILURES, STUFFING_WINDOW_SECONDS, type LoginGate } from './login';
export { policiesFor, listPolicies, createPolicy, updatePolicy, deletePolicy, defaultPolicies, policySchema, limitedEndpoints, keyTypes, policyActions, invalidatePolicyCache, type Policy, type PolicyInput } from './policies';
export { consumePoint, closeRateLimitStores } from './store';
export { setRateLimitHeaders, sendTooManyRequests } from './respond';
export { lockoutCounter } from './metrics';
export { delayAfterFailure, failureDelayMs, forgetFailures } from './failure-delay';
