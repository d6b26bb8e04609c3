/** `npm start`: prepare (generate + build when needed), then run the server in this process. */
import { prepare } from './prepare';

prepare();
(process.env as Record<string, string | undefined>).NODE_ENV ??= 'production';
await import('../server');
