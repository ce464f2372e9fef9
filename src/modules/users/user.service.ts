import type { Context } from '../../context';
import { UserRepository } from './user.repository';
import type { User } from './user.type';

export const userService = {
  /** The account of the request's identity, whatever its grants. */
  async me(ctx: Context): Promise<User | null> {
    const [user] = await new UserRepository(ctx.db).byIds([ctx.identity!.userId]);
    return user ?? null;
  },
};
