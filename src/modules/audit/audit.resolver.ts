import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { PageArgs } from '../../common/pagination/connection';
import { User } from '../users/user.type';
import { auditService } from './audit.service';
import { AuditEntry, AuditEntryConnection, AuditFilter } from './audit.type';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: 'The audit log, newest first: for administrators and auditors (a READ grant on AUDIT_LOG, possibly limited to an area).',
  })
  auditLog(@Args(() => PageArgs) page: PageArgs, @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | null, @Ctx() ctx: Context) {
    return auditService.list(ctx, { ...page, filter });
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change, when you may read that user.' })
  actor(@Root() entry: AuditEntry, @Ctx() ctx: Context) {
    return entry.actorUserId == null ? null : ctx.loaders.users.byId.load(entry.actorUserId);
  }
}
