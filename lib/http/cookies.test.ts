import { describe, expect, it } from 'vitest';
import { readCookie } from './cookies';

describe('readCookie', () => {
  it('finds one cookie by its exact name and decodes it', () => {
    const header = 'a=1; iam_console_auth=x%3Dy%20z; __Host-iam_console=tok_123';
    expect(readCookie(header, 'iam_console_auth')).toBe('x=y z');
    expect(readCookie(header, '__Host-iam_console')).toBe('tok_123');
    expect(readCookie(header, 'iam_console')).toBeUndefined(); // no suffix or prefix matches
    expect(readCookie(header, 'auth')).toBeUndefined();
  });

  it('is undefined for a missing header, an empty value or a value that does not decode', () => {
    expect(readCookie(null, 'a')).toBeUndefined();
    expect(readCookie('', 'a')).toBeUndefined();
    expect(readCookie('a=; b=2', 'a')).toBeUndefined();
    expect(readCookie('a=%E0%A4%A', 'a')).toBeUndefined();
    expect(readCookie('flag; a=1', 'a')).toBe('1');
  });
});
