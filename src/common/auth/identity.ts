/** Who a request acts as. Anonymous requests have none. */
export interface Identity {
  userId: number;
  orgUnitId: number;
  username: string;
  /**
   * How the request proved it: a login's access token, a service account's API token (as Bearer,
   * or as the password of HTTP Basic), a member of staff's username and password (HTTP Basic), or
   * a username given to a command run where the database is reachable (`npm run import -- --as`).
   */
  via: 'ACCESS_TOKEN' | 'API_TOKEN' | 'PASSWORD' | 'COMMAND_LINE';
  /** The API token used, when via API_TOKEN. */
  apiTokenId?: number;
}

/** How access tokens are signed and how long they live. */
export interface AuthSettings {
  /** HMAC secret of access tokens (HS256). */
  jwtSecret: string;
  /** Lifetime of an access token, in seconds. */
  accessTokenTtlSeconds: number;
}
