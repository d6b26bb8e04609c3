/**
 * What the environment offers the suites. Suites that need Postgres or Chromium run when they
 * are present, say clearly that they were skipped otherwise, and under CI=true fail instead.
 */
import fs from 'node:fs';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';
export const postgresUrl = process.env.DATABASE_URL;
export const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

export function requirement(name: 'postgres' | 'chromium'): boolean {
  const present = name === 'postgres' ? Boolean(postgresUrl) : Boolean(chromiumPath);
  if (!present) {
    const message = name === 'postgres' ? 'DATABASE_URL is not set (a PostgreSQL server URL)' : 'Chromium was not found (/usr/bin/chromium)';
    if (inCI) throw new Error(`CI=true and ${message}: this suite must run in CI`);
    console.warn(`\n  SKIPPED: suites needing ${name}: ${message}\n`);
  }
  return present;
}
