import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { apiTokenService } from './api-token.service';
import { ApiToken, NewApiToken, User } from './user.type';

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Query(() => [ApiToken], { description: 'API tokens of service accounts, by id: all, or of one user (READ on API_TOKENS).' })
  apiTokens(@Arg('userId', () => ID, { nullable: true }) userId: string | null, @Ctx() ctx: Context) {
    return apiTokenService.list(ctx, userId);
  }

  @Mutation(() => NewApiToken, {
    description:
      'Issues an API token to a service account you may read (CREATE on API_TOKENS); FORBIDDEN when the account holds grants beyond yours (a token acts with all of them). The secret is in this answer only; store it in the client system.',
  })
  createApiToken(
    @Arg('userId', () => ID) userId: string,
    @Arg('name', () => String, { description: 'What the token is for, e.g. "EBYS integration".' }) name: string,
    @Arg('expiresAt', () => Date, { nullable: true, description: 'When it stops working; never when omitted.' }) expiresAt: Date | null,
    @Ctx() ctx: Context,
  ) {
    return apiTokenService.create(ctx, userId, name, expiresAt ?? null);
  }

  @Mutation(() => ApiToken, { description: 'Revokes an API token (DELETE on API_TOKENS): it stops working at once, for good. FORBIDDEN when its account holds grants beyond yours.' })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return apiTokenService.revoke(ctx, id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The service account the token acts as, when you may read it.' })
  user(@Root() token: ApiToken, @Ctx() ctx: Context) {
    return ctx.loaders.users.byId.load(token.userId);
  }
}
