import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';

const KEY = Symbol.for('iam.masterKey');
type WithKey = typeof globalThis & { [KEY]?: Buffer };

/**
 * The 256-bit master key that encrypts secrets at rest (signing keys, later TOTP seeds).
 * MASTER_KEY wins; without it the first start generates one into DATA_DIR/master.key (mode 0600)
 * so the quick start needs no setup. Production deployments should set MASTER_KEY from a vault.
 */
export function getMasterKey(): Buffer {
  const g = globalThis as WithKey;
  if (g[KEY]) return g[KEY];
  const config = getConfig();
  let key: Buffer;
  if (config.crypto.masterKeyBase64) {
    key = Buffer.from(config.crypto.masterKeyBase64, 'base64');
  } else {
    const file = path.join(config.dataDir, 'master.key');
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  }
  g[KEY] = key;
  return key;
}

// Derived keys are memoised per master key: HKDF on every token request is measurable.
const derived = new WeakMap<Buffer, Map<string, Buffer>>();

/** A purpose-bound subkey (HKDF-SHA256), so one secret never serves two uses. */
export function deriveKey(purpose: string, length = 32): Buffer {
  const master = getMasterKey();
  let cache = derived.get(master);
  if (!cache) derived.set(master, (cache = new Map()));
  const id = `${purpose}:${length}`;
  let key = cache.get(id);
  if (!key) cache.set(id, (key = Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `iam:${purpose}`, length))));
  return key;
}
