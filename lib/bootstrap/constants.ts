export const ADMIN_TENANT_SLUG = 'admin';
export const DEMO_TENANT_SLUG = 'demo';
