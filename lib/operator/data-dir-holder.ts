import fs from 'node:fs';
import path from 'node:path';
import { getConfig } from '@/lib/config';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live process holding the embedded database (the pid in DATA_DIR/pglite.lock, see
 * lib/db/pglite-lock.ts), or null when none does and the data directory may be opened.
 */
export function dataDirHolder(dataDir = getConfig().dataDir): number | null {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'pglite.lock'), 'utf8').trim());
  } catch {
    return null;
  }
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : null;
}
