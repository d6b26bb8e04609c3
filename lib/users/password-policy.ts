import { getPrisma } from '@/lib/db';
import { AppError } from '@/lib/errors';

/** The tenant's minimum password length (settings.passwordMinLength, default 8), for every path that sets one. */
export async function assertTenantPasswordPolicy(tenantId: string, password: string) {
  const prisma = await getPrisma();
  const tenant = await prisma.tenant.findUnique({ where: { id: tenantId }, select: { settings: true } });
  const minLength = (tenant?.settings as { passwordMinLength?: number } | null)?.passwordMinLength ?? 8;
  if (password.length < minLength) throw new AppError('invalid_input', `password: at least ${minLength} characters`, { field: 'password' });
}
