import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  GraphQLError,
  OperationTypeNode,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Knex } from 'knex';
import type { LimitSettings } from '../../config';
import { createContext, type AppServices, type Context } from '../../context';
import { AppError } from '../../common/errors/app-error';
import { clientError } from '../../common/errors/client-error';
import { costError, queryLimitRules } from '../../common/limits';
import type { Logger } from '../../logger';
import type { AccessEvents } from '../permissions/access-events';
import { authService } from '../users/auth.service';
import { ChangeFeed, type LiveSession } from './live.feed';
import { FEED_LAYERS } from './live.layers';
import type { LiveContext } from './live.service';

/** One WebSocket connection: how it authenticated, what it may see now, its active subscriptions. */
interface Connection {
  header: string | undefined;
  session: LiveSession;
  account: string;
  active: Set<string>;
  close(code: number, reason: string): void;
}

export interface LiveServer {
  feed: ChangeFeed;
  /** Open WebSocket connections (for tests and the bench). */
  readonly connections: number;
  dispose(): Promise<void>;
}

/** The token a client sends in connectionParams: `{ authorization: "Bearer …" }` (as in HTTP), or `{ token: "…" }`. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value === 'string') return value;
  if (typeof params?.token === 'string') return `Bearer ${params.token}`;
  return undefined;
}

/** Close codes (graphql-ws uses 4400–4499 for the protocol's own): bad credentials, credentials gone. */
const UNAUTHORIZED = 4401;
const FORBIDDEN = 4403;

/**
 * GraphQL subscriptions over WebSocket at /graphql (graphql-ws, which Apollo Client, urql and
 * GraphiQL speak): the token in connectionParams, the same depth, alias and cost limits as HTTP, a
 * limit on active subscriptions per connection and per account, and a heartbeat (graphql-ws pings,
 * and closes a connection that did not answer). When anybody's access changes, every connection's
 * token is checked again: a deactivated account is disconnected, changed grants filter the next
 * event.
 */
export async function startLiveServer(options: {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: AppServices;
  accessEvents: AccessEvents;
  limits: LimitSettings;
  logger: Logger;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}): Promise<LiveServer> {
  const { httpServer, schema, services, limits, logger } = options;
  const db = services.db as Knex;
  const { rows } = await db.raw('SELECT current_schema() AS schema');
  const feed = new ChangeFeed(db, rows[0].schema as string, FEED_LAYERS(db), (message, err) => (err ? logger.error(message, err) : logger.info(message)));
  await feed.start();

  const connections = new Set<Connection>();
  const perAccount = new Map<string, number>();
  const rules = [...specifiedRules, ...queryLimitRules(limits)];

  let checking: Promise<void> | null = null;
  let again = false;
  /** Every connection's credentials once more, after any change to who may do what. */
  const recheck = async (): Promise<void> => {
    for (const c of [...connections]) {
      try {
        c.session.access = await authService.authenticate(db, services.auth, c.header);
      } catch (err) {
        const known = clientError(err);
        c.close(FORBIDDEN, known ? `Forbidden: ${known.message}` : 'Forbidden');
      }
    }
  };
  options.accessEvents.onChange(() => {
    if (checking) {
      again = true;
      return;
    }
    checking = (async () => {
      do {
        again = false;
        await recheck().catch((err) => logger.error('live updates: checking the connections again failed', err));
      } while (again);
      checking = null;
    })();
  });

  const wss = new WebSocketServer({ server: httpServer, path: '/graphql' });
  type Extra = { connection?: Connection };
  const formatErrors = (errors: readonly GraphQLError[]) => errors.map((e) => options.formatError(e.toJSON(), e));
  const release = (c: Connection, id: string) => {
    if (!c.active.delete(id)) return;
    const left = (perAccount.get(c.account) ?? 1) - 1;
    if (left > 0) perAccount.set(c.account, left);
    else perAccount.delete(c.account);
  };

  const disposable = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      subscribe: sharedSubscribe,
      async onConnect(ctx) {
        const header = authorizationOf(ctx.connectionParams);
        let access;
        try {
          access = await authService.authenticate(db, services.auth, header);
        } catch (err) {
          const known = clientError(err);
          if (!known) logger.error('live updates: a connection could not be authenticated', err);
          ctx.extra.socket.close(known?.code === 'UNAUTHENTICATED' ? UNAUTHORIZED : 4500, known ? `Unauthorized: ${known.message}` : 'Internal server error');
          return false;
        }
        const identity = access.identity;
        const account = identity ? `user:${identity.userId ?? ''}:${identity.apiTokenId ?? ''}` : `address:${ctx.extra.request.socket.remoteAddress ?? 'unknown'}`;
        const connection: Connection = {
          header,
          session: { access },
          account,
          active: new Set(),
          close: (code, reason) => ctx.extra.socket.close(code, reason.slice(0, 120)),
        };
        ctx.extra.connection = connection;
        connections.add(connection);
        return { liveSince: feed.startedAt.toISOString() };
      },
      async onSubscribe(ctx, id, payload) {
        const c = ctx.extra.connection!;
        let document;
        try {
          document = parse(payload.query, { maxTokens: 5000 });
        } catch (err) {
          return [new AppError('BAD_USER_INPUT', (err as Error).message)];
        }
        const validation = validate(schema, document, rules);
        // As over HTTP: GRAPHQL_VALIDATION_FAILED, or the limit's own QUERY_TOO_COMPLEX.
        if (validation.length) {
          return validation.map((e) =>
            e instanceof AppError || e.originalError instanceof AppError ? e : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new AppError('BAD_USER_INPUT', 'the document has no operation of that name')];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [new AppError('BAD_USER_INPUT', `send ${operation.operation === OperationTypeNode.QUERY ? 'queries' : 'mutations'} as HTTP POST to /graphql; the WebSocket carries subscriptions`)];
        }
        const tooCostly = costError(limits, schema, document, operation, payload.variables ?? undefined);
        if (tooCostly) return [tooCostly];
        if (c.active.size >= limits.subscriptionsPerConnection) {
          return [new AppError('TOO_MANY_REQUESTS', `this connection has ${c.active.size} active subscriptions, as many as one may hold (${limits.subscriptionsPerConnection}); complete one first`)];
        }
        if ((perAccount.get(c.account) ?? 0) >= limits.subscriptionsPerAccount) {
          return [new AppError('TOO_MANY_REQUESTS', `your account has ${limits.subscriptionsPerAccount} active subscriptions on this server, as many as it may hold; complete one first`)];
        }
        c.active.add(id);
        perAccount.set(c.account, (perAccount.get(c.account) ?? 0) + 1);
        const context = createContext(services, randomUUID(), c.session.access);
        const live: LiveContext = {
          feed,
          session: c.session,
          refresh: () => {
            const fresh = createContext(services, context.requestId, c.session.access);
            Object.assign(context, { access: fresh.access, identity: fresh.identity, loaders: fresh.loaders });
          },
        };
        (context as Context & { live: LiveContext }).live = live;
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables ?? undefined, contextValue: context };
      },
      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors) return;
        return { ...result, errors: formatErrors(result.errors) };
      },
      onError(_ctx, _id, _payload, errors) {
        return formatErrors(errors);
      },
      onComplete(ctx, id) {
        if (ctx.extra.connection) release(ctx.extra.connection, id);
      },
      onClose(ctx) {
        const c = ctx.extra.connection;
        if (!c) return;
        for (const id of [...c.active]) release(c, id);
        connections.delete(c);
      },
    },
    wss,
    limits.subscriptionKeepAliveMs,
  );

  return {
    feed,
    get connections() {
      return connections.size;
    },
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      await disposable.dispose();
      await feed.close();
    },
  };
}

/**
 * Executions of one event shared by the subscriptions that would get the same answer: the same
 * operation and variables, under the same access (its grants; the feed pushes one event object to
 * every member of a group). Its answer is computed once and sent to each.
 */
const answers = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const accessKeys = new WeakMap<object, number>();
let accessCount = 0;

/** graphql-js's subscribe, with each event's execution shared as above. */
async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable(stream)) return stream;
  const context = args.contextValue as Context;
  const operation = `${print(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  const answer = (payload: unknown): Promise<ExecutionResult> => {
    // Fresh loaders (and the connection's current access) for each event the context answers.
    const run = () => {
      (context as Context & { live?: LiveContext }).live?.refresh();
      return Promise.resolve(execute({ ...args, rootValue: payload }));
    };
    if (payload === null || typeof payload !== 'object') return run();
    // The connection's access now (its grants may have changed since the context was made).
    const access = ((context as Context & { live?: LiveContext }).live?.session.access ?? context.access) as object;
    let n = accessKeys.get(access);
    if (n === undefined) accessKeys.set(access, (n = ++accessCount));
    const key = `${n}\u0000${operation}`;
    let byKey = answers.get(payload);
    if (!byKey) answers.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = run()));
    return result;
  };
  const iterator = stream[Symbol.asyncIterator]();
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: await answer(step.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
