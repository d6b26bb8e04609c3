export { ensureInitialSetup, describeInitialSetup, generatePassword, ADMIN_TENANT_SLUG, DEMO_TENANT_SLUG, type InitialSetup } from './ensure-initial-setup';
