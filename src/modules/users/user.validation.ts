import { badInput } from '../../common/errors/app-error';

/** Shorter passwords are refused: length is what makes a password hard to guess. */
export const MIN_PASSWORD_LENGTH = 10;
// argon2 takes any length; a cap keeps a request from making the server hash megabytes.
const MAX_PASSWORD_LENGTH = 256;
const MAX_TEXT = 200;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$/;
// Deliberately loose: the mail server is the judge of an address; this catches typing slips.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The trimmed username; BAD_USER_INPUT naming `argument` when it is not one. */
export function checkUsername(value: string, argument: string): string {
  const trimmed = value.trim();
  if (!USERNAME.test(trimmed)) {
    throw badInput(`${argument}: "${value}" is not a username: 2 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return trimmed;
}

/** The trimmed name: not empty, not overlong. */
export function checkFullName(value: string, argument: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${argument} must not be empty`);
  if (trimmed.length > MAX_TEXT) throw badInput(`${argument} may be at most ${MAX_TEXT} characters`);
  return trimmed;
}

/** The address to store; null (or an empty string) for none. */
export function checkEmail(value: string | null | undefined, argument: string): string | null {
  const trimmed = value?.trim();
  if (!trimmed) return null;
  if (trimmed.length > MAX_TEXT || !EMAIL.test(trimmed)) throw badInput(`${argument}: "${value}" is not an e-mail address`);
  return trimmed;
}

/** The password as given (never trimmed: every character counts), when long enough. */
export function checkPassword(value: string, argument: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) throw badInput(`${argument}: a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (value.length > MAX_PASSWORD_LENGTH) throw badInput(`${argument}: a password may be at most ${MAX_PASSWORD_LENGTH} characters`);
  return value;
}
