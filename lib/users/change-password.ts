import { getPrisma } from '@/lib/db';
import { recordEvent } from '@/lib/audit';
import { AppError } from '@/lib/errors';
import { hashPassword, verifyPassword } from '@/lib/passwords';
import { passwordSchema } from './schemas';

/** The user picks a new password (after a temporary one); the old one may not be reused. */
export async function changeOwnPassword(tenant: { id: string; settings: { passwordMinLength?: number } }, userId: string, input: { password?: unknown; confirm?: unknown }, meta: { ip?: string | null; userAgent?: string | null } = {}) {
  const parsed = passwordSchema.safeParse(input.password);
  if (!parsed.success) throw new AppError('invalid_input', `Password: ${parsed.error.issues[0].message}.`, { field: 'password' });
  const minLength = tenant.settings.passwordMinLength ?? 8;
  if (parsed.data.length < minLength) throw new AppError('invalid_input', `Password: at least ${minLength} characters.`, { field: 'password' });
  if (input.confirm !== parsed.data) throw new AppError('invalid_input', 'The passwords do not match.', { field: 'confirm' });
  const prisma = await getPrisma();
  const user = await prisma.user.findFirst({ where: { id: userId, tenantId: tenant.id }, select: { passwordHash: true } });
  if (!user) throw new AppError('not_found', 'no such user');
  if (user.passwordHash && (await verifyPassword(user.passwordHash, parsed.data))) throw new AppError('invalid_input', 'Choose a password different from the temporary one.', { field: 'password' });
  const passwordHash = await hashPassword(parsed.data);
  await prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: false } });
    await recordEvent(tx, { type: 'user.password.changed', outcome: 'success', tenantId: tenant.id, actor: { type: 'user', id: userId }, subject: userId, ip: meta.ip, userAgent: meta.userAgent });
  });
}
