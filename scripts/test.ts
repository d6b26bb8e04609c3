/**
 * `npm test`: prepare the build, then run every suite with Vitest. Suites needing Postgres
 * (DATABASE_URL) or Chromium run when present and are reported as skipped otherwise; under
 * CI=true their absence is a failure.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepare } from './prepare';

prepare();
const root = path.resolve(import.meta.dirname, '..');
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
