import { ArgsType, Field, Float, Int, ObjectType, type ClassType } from 'type-graphql';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '../../config';
import { badInput } from '../errors/app-error';

@ObjectType({ description: 'Relay page information.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: lists page forward only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return: ${DEFAULT_PAGE_SIZE} when omitted, at most ${MAX_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor.' })
  after?: string | null;
}

/** The page size asked for, checked against the limit. */
export function pageSize(args: PageArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0) throw badInput(`"first" must not be negative, got ${first}`);
  if (first > MAX_PAGE_SIZE) throw badInput(`"first" may be at most ${MAX_PAGE_SIZE}, got ${first}`);
  return first;
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
  readonly distanceMeters: number | null;
}

/** What a service returns for a list: the page, and the count of the whole result. */
export class Connection<T> {
  private count?: Promise<number>;

  /** For a list read as of an instant: the instant, and from when its history is complete. */
  asOf?: { instant: Date; knownFrom: Date } | null;

  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly countAll: () => Promise<number>,
  ) {}

  /** See asOf: null when the list is read as it is now. */
  get asOfKnownFrom(): Date | null {
    return this.asOf?.knownFrom ?? null;
  }

  /** A getter, so the count query runs only when a client selects totalCount, and only once. */
  get totalCount(): Promise<number> {
    return (this.count ??= this.countAll());
  }

  /** Page information for edges in order, whether more follow. */
  static pageInfo(edges: Edge<unknown>[], hasNextPage: boolean): PageInfo {
    return {
      hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    };
  }
}

/**
 * The Relay connection and edge types of a layer: `<Name>Connection { edges { cursor node
 * distanceMeters } pageInfo totalCount }`.
 */
export function connectionTypes<T extends object>(nodeType: ClassType<T>, name: string, options: { history?: boolean } = {}) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: T;

    @Field(() => Float, {
      nullable: true,
      description: 'Geodesic distance in metres from the `nearest` point; null when the list is not ordered by distance.',
    })
    distanceMeters!: number | null;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType], { simple: true })
    edges!: EdgeType[];

    @Field(() => PageInfo, { simple: true })
    pageInfo!: PageInfo;

    // Not a simple field: the value is a promise (the count runs only when asked for), and an
    // executor awaits what a resolver returns, not what a bare property holds.
    @Field(() => Int, { description: 'Number of items matching the filters, over all pages.' })
    totalCount!: number;
  }

  if (options.history) {
    // Only the layers that keep a history have it.
    Field(() => Date, {
      nullable: true,
      description:
        'With `asOf`: when this layer began to keep its history. An `asOf` before it sees each row in the version that was current then ' +
        '(from its last change) and does not see rows deleted before it. Null without `asOf`.',
    })(ConnectionType.prototype, 'asOfKnownFrom');
  }

  return { EdgeType, ConnectionType };
}
