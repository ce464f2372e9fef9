import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../../context';
import { PageArgs } from '../../../common/pagination/connection';
import { User } from '../../users/user.type';
import { importJobService } from './job.service';
import { ImportJob, ImportJobConnection, ImportJobsArgs, ImportRejectionConnection } from './job.type';

@Resolver(() => ImportJob)
export class ImportJobResolver {
  @Query(() => ImportJob, {
    description: 'An import job started with POST /imports; NOT_FOUND unless it is yours or you hold a READ grant on AUDIT_LOG that reaches its starter.',
  })
  importJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return importJobService.get(ctx, id);
  }

  @Query(() => ImportJobConnection, {
    description: 'Import jobs, newest first: your own; with a READ grant on AUDIT_LOG, also those of the starters it reaches (all, or your directorate\'s).',
  })
  importJobs(@Args(() => ImportJobsArgs) args: ImportJobsArgs, @Ctx() ctx: Context) {
    return importJobService.list(ctx, args);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who uploaded the file, when you may read that user (startedByUsername otherwise).' })
  startedBy(@Root() job: ImportJob, @Ctx() ctx: Context) {
    return ctx.loaders.users.byId.load(job.startedById);
  }

  @FieldResolver(() => ImportRejectionConnection, { description: 'The rows the import refused, in the order of the file.' })
  rejections(@Root() job: ImportJob, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return importJobService.rejections(ctx, job, page);
  }
}
