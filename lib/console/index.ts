export { CONSOLE_CLIENT_ID, ensureConsoleClient, consoleUrls } from './console-client';
export { createConsoleSession, findConsoleSession, endConsoleSession, CONSOLE_IDLE_TIMEOUT_MS, CONSOLE_ABSOLUTE_TIMEOUT_MS } from './session';
export { consoleRelyingParty } from './relying-party';
