import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';

/**
 * The local operator token: how the admin CLI on this machine reaches a running server's admin
 * API when it may not open the embedded database itself (PGlite allows one process per data
 * directory). Whoever can read DATA_DIR/operator.token (mode 0600, in the 0700 data directory)
 * already holds the database and the master key, so the token grants no more than they have;
 * the API accepts it only from a loopback socket address. A new token is written at each server
 * start, so an old copy stops working.
 */
export const operatorTokenPath = () => path.join(getConfig().dataDir, 'operator.token');
/** Where the server that wrote the token listens, so the CLI finds it whatever PORT it was given. */
export const operatorOriginPath = () => path.join(getConfig().dataDir, 'operator.origin');

function writePrivateFile(file: string, content: string) {
  // Write-then-rename: the file is never seen half-written, and a pre-existing file with looser
  // permissions is replaced rather than reused.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content, { mode: 0o600 });
  fs.renameSync(temp, file);
}

export function writeOperatorToken(): string {
  const config = getConfig();
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const token = crypto.randomBytes(32).toString('base64url');
  writePrivateFile(operatorTokenPath(), `${token}\n`);
  writePrivateFile(operatorOriginPath(), `${config.server.internalOrigin}\n`);
  return token;
}

/** The current token, or null when no server has written one. */
export function readOperatorToken(): string | null {
  try {
    return fs.readFileSync(operatorTokenPath(), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

export function readOperatorOrigin(): string | null {
  try {
    return fs.readFileSync(operatorOriginPath(), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

const digest = (value: string) => crypto.createHash('sha256').update(value, 'utf8').digest();

/** Constant-time comparison (of SHA-256 digests, so the length of the token leaks nothing either). */
export function verifyOperatorToken(presented: string): boolean {
  const expected = readOperatorToken();
  if (!expected || !presented) return false;
  return crypto.timingSafeEqual(digest(presented), digest(expected));
}
