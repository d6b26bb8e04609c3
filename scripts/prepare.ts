/**
 * Makes the tree runnable: generates the Prisma client and builds the Next.js app when their
 * inputs changed since the last run. Used by `npm start` and `npm test`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function newestMtime(entries: string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(p)) if (child !== 'node_modules' && child !== 'generated' && !child.endsWith('.test.ts')) visit(path.join(p, child));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  entries.forEach((e) => visit(path.join(root, e)));
  return newest;
}

const mtime = (p: string) => (fs.existsSync(p) ? fs.statSync(p).mtimeMs : 0);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', env });
}

export function prepare() {
  const generatedMarker = path.join(root, 'lib/db/generated/client.ts');
  if (mtime(generatedMarker) < mtime(path.join(root, 'prisma/schema.prisma'))) {
    console.log('Generating the Prisma client…');
    // prisma generate needs no schema engine, but the CLI checks a binary path exists: point it
    // at any file rather than let it try to download one.
    run(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate'], { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' });
  }
  const buildId = path.join(root, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID');
  const sources = newestMtime(['app', 'pages', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'package.json', 'tsconfig.json', 'tsconfig.build.json']);
  if (mtime(buildId) < sources) {
    console.log('Building the web app (next build)…');
    run(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) prepare();
