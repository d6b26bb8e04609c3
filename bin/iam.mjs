#!/usr/bin/env node
/**
 * `npx iam …`: runs the TypeScript CLI (cli/index.ts) with tsx from the project directory, as
 * `npm run iam` does, so ./.data and tsconfig paths resolve the same wherever it is started.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
// A relative DATA_DIR means relative to where the user typed the command.
if (env.DATA_DIR && !path.isAbsolute(env.DATA_DIR)) env.DATA_DIR = path.resolve(env.DATA_DIR);

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'cli/index.ts'), ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
