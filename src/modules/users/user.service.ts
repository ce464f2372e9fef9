import { Action, Resource } from '../../common/auth/resources';
import { badInput, notFound } from '../../common/errors/app-error';
import { parseId } from '../../common/ids';
import { Connection, pageSize, type PageArgs } from '../../common/pagination/connection';
import { decodeCursor, encodeCursor } from '../../common/pagination/cursor';
import type { Context } from '../../context';
import { UserRepository, type UserQuery } from './user.repository';
import type { UserFilter } from './user.inputs';
import type { User } from './user.type';

const MAX_SEARCH_LENGTH = 200;

function toQuery(filter: UserFilter | null | undefined): UserQuery {
  const f = filter ?? {};
  if (f.search != null && f.search.length > MAX_SEARCH_LENGTH) throw badInput(`filter.search may be at most ${MAX_SEARCH_LENGTH} characters`);
  return {
    search: f.search ?? null,
    orgUnitId: f.orgUnitId != null ? parseId(f.orgUnitId, 'filter.orgUnitId') : null,
    active: f.active ?? null,
    kind: f.kind ?? null,
  };
}

/** Reads of user accounts. */
export const userService = {
  /** The account of the request's identity, whatever its grants (its e-mail included). */
  async me(ctx: Context): Promise<User | null> {
    const [user] = await new UserRepository(ctx.db).byIds([ctx.identity!.userId]);
    return user ?? null;
  },

  /** A page of the users the request may read, by id. */
  async list(ctx: Context, args: PageArgs & { filter?: UserFilter | null }): Promise<Connection<User>> {
    ctx.access.require(Resource.USERS, Action.READ, 'users');
    const first = pageSize(args);
    const after = args.after ? decodeCursor(args.after, 'id') : undefined;
    const query = toQuery(args.filter);
    const repo = new UserRepository(ctx.db, ctx.access);
    const { rows, hasNextPage } = first === 0 ? { rows: [], hasNextPage: false } : await repo.page(query, first, after);
    const edges = rows.map((node) => ({ node, cursor: encodeCursor({ kind: 'id', id: node.id }), distanceMeters: null }));
    return new Connection(edges, Connection.pageInfo(edges, hasNextPage), () => repo.count(query));
  },

  /** One user; NOT_FOUND outside the request's scope, as when there is none. */
  async get(ctx: Context, idArg: string): Promise<User> {
    ctx.access.require(Resource.USERS, Action.READ, 'users');
    const user = await ctx.loaders.users.byId.load(parseId(idArg, 'id'));
    if (!user) throw notFound('user', idArg);
    return user;
  },
};
