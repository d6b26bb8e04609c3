import { AppError } from '@/lib/errors';
import type { TenantRecord } from '@/lib/tenants';

/**
 * The tenant's minimum password length (settings.passwordMinLength), on top of the product-wide
 * rules that lib/users applies. Checked by the console actions before they set a password.
 */
export function assertTenantPasswordPolicy(tenant: TenantRecord, password: string) {
  const min = tenant.settings.passwordMinLength ?? 8;
  if (password.length < min) throw new AppError('invalid_input', `at least ${min} characters (this tenant's policy)`, { field: 'password' });
}
