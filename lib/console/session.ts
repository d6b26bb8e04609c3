import crypto from 'node:crypto';
import { getPrisma } from '@/lib/db';
import { decryptSecret, deriveKey, encryptSecret } from '@/lib/crypto';

/** OWASP session guidance for admin consoles: short idle timeout, bounded absolute lifetime. */
export const CONSOLE_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const CONSOLE_ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

const sessionId = (token: string) => crypto.createHash('sha256').update(token).digest('base64url');
const idTokenKey = () => deriveKey('console-id-token');

export async function createConsoleSession(userId: string, idToken: string | undefined, meta: { ip?: string | null; userAgent?: string | null }) {
  const token = crypto.randomBytes(32).toString('base64url');
  const id = sessionId(token);
  const prisma = await getPrisma();
  await prisma.consoleSession.create({
    data: {
      id,
      userId,
      idTokenEnc: idToken ? encryptSecret(idToken, idTokenKey(), id) : null,
      expiresAt: new Date(Date.now() + CONSOLE_ABSOLUTE_TIMEOUT_MS),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    },
  });
  return token;
}

/** The live session for a cookie value, or null (unknown, idle too long or past its lifetime). */
export async function findConsoleSession(token: string | undefined) {
  if (!token || token.length > 100) return null;
  const id = sessionId(token);
  const prisma = await getPrisma();
  const session = await prisma.consoleSession.findUnique({ where: { id }, select: { id: true, userId: true, lastSeenAt: true, expiresAt: true, createdAt: true } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > CONSOLE_IDLE_TIMEOUT_MS) {
    await prisma.consoleSession.delete({ where: { id } }).catch(() => undefined);
    return null;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.consoleSession.update({ where: { id }, data: { lastSeenAt: new Date(now) } }).catch(() => undefined);
  }
  return session;
}

/** Ends the session; returns its ID token (for RP-initiated logout at the provider). */
export async function endConsoleSession(token: string | undefined): Promise<{ userId?: string; idToken?: string }> {
  if (!token) return {};
  const id = sessionId(token);
  const prisma = await getPrisma();
  const session = await prisma.consoleSession.findUnique({ where: { id }, select: { userId: true, idTokenEnc: true } });
  await prisma.consoleSession.deleteMany({ where: { id } });
  if (!session) return {};
  if (!session.idTokenEnc) return { userId: session.userId };
  try {
    return { userId: session.userId, idToken: decryptSecret(session.idTokenEnc, idTokenKey(), id).toString() };
  } catch {
    return { userId: session.userId };
  }
}
