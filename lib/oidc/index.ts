export { getTenantProvider, invalidateTenantProvider } from './registry';
export { issuerFor, defaultApiResource, API_SCOPES } from './configuration';
export { escapeHtml, errorPage } from './html';
export { describeInteraction, submitLogin, submitConsent, abortInteraction, type InteractionView, type SubmitOutcome } from './interactions';
