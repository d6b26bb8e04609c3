/**
 * The admin CLI: `npm run iam -- <resource> <verb> [flags]` or `npx iam …`. Every command is an
 * admin API operation, run either directly on the database or through the running server (see
 * transport.ts), with the local operator as the audited actor.
 */
import './quiet';
import { parseArgs } from 'node:util';
import { ConfigError } from '@/lib/config';
import { commands, type Command, type Flags } from './commands';
import { CliError, EXIT } from './errors';
import { openTransport } from './transport';

const GLOBAL_FLAGS = [
  ['--json', 'print the result as JSON (the admin API\'s response body)'],
  ['--verbose', 'say on stderr how the command reaches the data (directly or through the server)'],
  ['-h, --help', 'show help (also after a resource or a command)'],
];

function generalHelp() {
  const width = Math.max(...commands.map((c) => `${c.resource} ${c.verb}`.length));
  return [
    'Usage: iam <resource> <verb> [flags]        (npm run iam -- … or npx iam …)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.resource} ${c.verb}`.padEnd(width)}  ${c.summary}`),
    '',
    'Global flags:',
    ...GLOBAL_FLAGS.map(([flag, text]) => `  ${flag.padEnd(12)}${text}`),
    '',
    'With DATABASE_URL set the CLI works on that PostgreSQL database. On the embedded database',
    '(DATA_DIR, default ./.data) it goes through the running server when one holds the data',
    'directory, and opens the directory itself otherwise. Every command is recorded in the audit',
    'log with the actor operator:<your OS user name>.',
    '',
    'Exit codes: 0 done, 1 failed, 2 usage or invalid input, 3 not found, 4 conflict,',
    '5 not allowed, 6 server or database unreachable.',
  ].join('\n');
}

function resourceHelp(resource: string) {
  const list = commands.filter((c) => c.resource === resource);
  return [`Usage: iam ${resource} <${list.map((c) => c.verb).join('|')}> [flags]`, '', ...list.map((c) => `  ${c.verb.padEnd(14)}${c.summary}`), '', `iam ${resource} <verb> --help for its flags`].join('\n');
}

function commandHelp(command: Command) {
  const flags = Object.entries(command.options).map(([name, o]) => {
    const left = `--${name}${o.value ? ` ${o.value}` : ''}`;
    return `  ${left.padEnd(34)}${o.description}${o.required ? ' (required)' : ''}${o.multiple ? ' (repeatable)' : ''}`;
  });
  return [
    `Usage: iam ${command.resource} ${command.verb} [flags]`,
    '',
    command.summary,
    '',
    'Flags:',
    ...flags,
    ...GLOBAL_FLAGS.map(([flag, text]) => `  ${flag.padEnd(34)}${text}`),
    ...(command.examples?.length ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
  ].join('\n');
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

async function main(argv: string[]): Promise<number> {
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const [resource, verb] = argv;
  if (!resource || resource.startsWith('-') || resource === 'help') {
    if (wantsHelp || resource === 'help') {
      console.log(generalHelp());
      return EXIT.ok;
    }
    console.error(generalHelp());
    return EXIT.usage;
  }
  if (!commands.some((c) => c.resource === resource)) throw new CliError(`unknown resource "${resource}" (iam --help lists the commands)`, EXIT.usage);
  if (!verb || verb.startsWith('-')) {
    if (wantsHelp) {
      console.log(resourceHelp(resource));
      return EXIT.ok;
    }
    console.error(resourceHelp(resource));
    return EXIT.usage;
  }
  const command = commands.find((c) => c.resource === resource && c.verb === verb);
  if (!command) throw new CliError(`unknown command "${resource} ${verb}" (iam ${resource} --help lists its verbs)`, EXIT.usage);
  if (wantsHelp) {
    console.log(commandHelp(command));
    return EXIT.ok;
  }

  let values: Flags;
  try {
    const options = Object.fromEntries(Object.entries(command.options).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }]));
    ({ values } = parseArgs({ args: argv.slice(2), options: { ...options, json: { type: 'boolean' }, verbose: { type: 'boolean' } }, strict: true, allowPositionals: false }) as { values: Flags });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (iam ${resource} ${verb} --help)`, EXIT.usage);
  }
  const missing = Object.entries(command.options).filter(([name, o]) => o.required && (values[name] === undefined || values[name] === ''));
  if (missing.length) throw new CliError(`missing ${missing.map(([name]) => `--${name}`).join(', ')} (iam ${resource} ${verb} --help)`, EXIT.usage);

  const transport = await openTransport();
  if (values.verbose) console.error(`iam: ${transport.description}`);
  let result: unknown;
  try {
    result = await command.run(values, transport);
  } finally {
    await transport.close();
  }
  if (values.json) process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
  else command.print(result, (line) => console.log(line));
  return EXIT.ok;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    if (error instanceof CliError) {
      console.error(`iam: error: ${oneLine(error.message)}`);
      process.exit(error.exitCode);
    }
    if (error instanceof ConfigError) {
      console.error(`iam: ${oneLine(error.message)}`);
      process.exit(EXIT.usage);
    }
    console.error(`iam: error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    process.exit(EXIT.failure);
  });
