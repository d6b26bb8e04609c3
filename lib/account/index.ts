export { ACCOUNT_CLIENT_ID, ensureAccountClients, accountSignInUrl, accountRedirectUri } from './account-client';
export { getAccountSession } from './account-session';
