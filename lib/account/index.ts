export { ACCOUNT_CLIENT_ID, ensureAccountClients, accountSignInUrl, accountRedirectUri } from './account-client';
export { getAccountSession, authenticatedRecently, RECENT_AUTHENTICATION_SECONDS } from './account-session';
