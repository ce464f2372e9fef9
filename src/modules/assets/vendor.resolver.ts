import { Arg, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { vendorService, type VendorFields } from './vendor.service';
import { Vendor } from './vendor.type';
import { DateScalar } from '../../common/input/date.scalar';

@InputType({ description: 'A new vendor.' })
export class VendorCreateInput implements VendorFields {
  @Field(() => String, { description: 'Unique, whatever the case.' })
  name!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Maintenance contract number.' })
  contractNo?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the maintenance contract.' })
  contractEndsOn?: string | null;
}

@InputType({ description: 'Changes to a vendor: only the fields given are changed (null clears).' })
export class VendorUpdateInput implements VendorFields {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  contractNo?: string | null;

  @Field(() => DateScalar, { nullable: true })
  contractEndsOn?: string | null;
}

/** Vendor administration: the list, creating and changing vendors, under the VENDORS grants. */
@Resolver(() => Vendor)
export class VendorResolver {
  @Query(() => [Vendor], { description: 'The vendors, by name (needs VENDORS READ).' })
  vendors(@Arg('search', () => String, { nullable: true, description: 'Part of the name or contract number.' }) search: string | null, @Ctx() ctx: Context) {
    return vendorService.list(ctx, search);
  }

  @Mutation(() => Vendor, { nullable: true, description: 'Creates a vendor (needs VENDORS CREATE). CONFLICT when the name is taken.' })
  createVendor(@Arg('input', () => VendorCreateInput) input: VendorCreateInput, @Ctx() ctx: Context) {
    return vendorService.create(ctx, input);
  }

  @Mutation(() => Vendor, {
    nullable: true,
    description: 'Changes a vendor (needs VENDORS UPDATE). `version` is the version you read: CONFLICT when it has changed since; NOT_FOUND when there is no such vendor.',
  })
  updateVendor(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => VendorUpdateInput) input: VendorUpdateInput,
    @Ctx() ctx: Context,
  ) {
    return vendorService.update(ctx, id, version, input);
  }
}
