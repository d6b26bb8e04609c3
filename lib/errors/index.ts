/** Typed domain errors; each surface (OAuth, SCIM, admin API, pages) serialises them its own way. */
export type AppErrorCode = 'not_found' | 'conflict' | 'invalid_input' | 'forbidden' | 'unauthorized' | 'disabled';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
