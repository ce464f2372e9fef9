import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../errors/app-error';
import type { AuthSettings } from './identity';

const ISSUER = 'kbs-graphql';
// What PostgreSQL's int (users.id, users.session_generation) holds.
const MAX_INT = 2147483647;
const USER_ID = /^[1-9][0-9]{0,9}$/;

/** UNAUTHENTICATED, answered with HTTP 401: a credential was given and it is not good. */
export const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message, { http: { status: 401 } });

/** What a valid access token says, its claims checked for type and range. */
export interface AccessClaims {
  userId: number;
  /** The account's session generation when the token was issued (users.session_generation). */
  sessionGeneration: number;
}

/** A signed access token for the account as it is now, and when it expires. */
export function signAccessToken(settings: AuthSettings, user: { id: number; sessionGeneration: number }): { token: string; expiresAt: Date } {
  const token = jwt.sign({ typ: 'access', gen: user.sessionGeneration }, secretKey(settings.jwtSecret), {
    algorithm: 'HS256',
    expiresIn: settings.accessTokenTtlSeconds,
    issuer: ISSUER,
    subject: String(user.id),
  });
  const { exp } = jwt.decode(token) as { exp: number };
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken tries it as a PEM
 * public key first on every verification (createPublicKey throws, and the throw is most of a
 * verification's cost), then makes the secret key.
 */
let key: { secret: string; object: KeyObject } | undefined;
function secretKey(secret: string): KeyObject {
  if (key?.secret !== secret) key = { secret, object: createSecretKey(Buffer.from(secret, 'utf8')) };
  return key.object;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INT;

/**
 * The claims of an access token: the signature, issuer and expiry checked by jsonwebtoken, then the
 * type and range of every claim this server relies on, here and only here. Anything else is
 * UNAUTHENTICATED: a token signed with the right key but with claims this server never writes
 * (a subject that is not an account id, no expiry, no session generation) is not one of its tokens.
 */
export function verifyAccessToken(settings: AuthSettings, token: string): AccessClaims {
  let payload: unknown;
  try {
    payload = jwt.verify(token, secretKey(settings.jwtSecret), { algorithms: ['HS256'], issuer: ISSUER });
  } catch (err) {
    throw unauthenticated(err instanceof jwt.TokenExpiredError ? 'the access token has expired: log in again' : 'invalid access token');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw unauthenticated('invalid access token');
  const { typ, sub, gen, exp } = payload as Record<string, unknown>;
  const userId = typeof sub === 'string' && USER_ID.test(sub) ? Number(sub) : null;
  if (typ !== 'access' || userId === null || userId > MAX_INT || !isCount(gen) || typeof exp !== 'number') {
    throw unauthenticated('invalid access token');
  }
  return { userId, sessionGeneration: gen };
}
