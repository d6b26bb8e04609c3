export { getTenantProvider, invalidateTenantProvider } from './registry';
export { issuerFor, defaultApiResource, API_SCOPES } from './configuration';
export { escapeHtml, errorPage } from './html';
export { describeInteraction, submitLogin, submitConsent, abortInteraction, submitPasswordChange, submitSecondFactor, submitEnrolment, submitRecoveryCodesSeen, type InteractionView, type SubmitOutcome } from './interactions';
export { PENDING_COOKIE, PENDING_TTL_SECONDS } from './login-pending';
export { cookieOnlyRequest } from './node-request';
