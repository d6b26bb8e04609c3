/** A failure the CLI reports as one line on stderr, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Exit codes: 0 success; 1 unexpected failure; 2 usage or invalid input; 3 not found;
 * 4 conflict; 5 not allowed (unauthorized/forbidden); 6 the server or database is unreachable.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, conflict: 4, denied: 5, unreachable: 6 } as const;

export function exitCodeFor(code: string | undefined): number {
  switch (code) {
    case 'invalid_input':
      return EXIT.usage;
    case 'not_found':
      return EXIT.notFound;
    case 'conflict':
    case 'disabled':
      return EXIT.conflict;
    case 'unauthorized':
    case 'forbidden':
      return EXIT.denied;
    default:
      return EXIT.failure;
  }
}
