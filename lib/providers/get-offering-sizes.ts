import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { notFound } from "../errors";
import { DRIVER_PROFILES } from "../drivers/profiles";
import type { DiskTier } from "../generated/prisma/enums";
import type { DriverSize } from "../drivers/types";
import { providerIdSchema } from "./schemas";
import { parseInput } from "./parse-input";
import { asDriverError, failureOf, withProviderDriver } from "./provider-driver";
import { closestSize } from "./closest-size";

/** How long the page waits for the provider's list of sizes. */
const SIZES_TIMEOUT_MS = 10_000;

export interface OfferingSizesView {
  /** False for hypervisors: they take the offering's numbers and need no mapping. */
  mapped: boolean;
  offerings: {
    id: string;
    name: string;
    vcpu: number;
    memoryMb: number;
    diskGb: number;
    diskTier: DiskTier;
    active: boolean;
    /** The size mapped now ("" when none). */
    ref: string;
    /** The provider's size closest to the offering (the smallest that holds it). */
    suggestion: DriverSize | null;
  }[];
  /** What the provider sells here, or null when it could not be listed (see sizesError). */
  sizes: DriverSize[] | null;
  sizesError: { code: string; message: string } | null;
}

/**
 * The offering sizes page of a provider that sells fixed shapes: every offering with the
 * size it is mapped to, and the provider's own list of sizes (asked live, so the suggestions
 * are what this account can run in this region) with the closest one suggested.
 */
export async function getOfferingSizes(ctx: Ctx, input: { id: string }): Promise<OfferingSizesView> {
  assertCan(ctx.actor, "provider.manage");
  const { id } = parseInput(providerIdSchema, input);
  const provider = await ctx.db.provider.findUnique({ where: { id } });
  if (!provider) throw notFound("Provider");
  const mapped = DRIVER_PROFILES[provider.kind].sizing === "mapped";
  if (!mapped) return { mapped, offerings: [], sizes: null, sizesError: null };
  const [offerings, refs] = await Promise.all([
    ctx.db.offering.findMany({ orderBy: [{ active: "desc" }, { diskTier: "asc" }, { vcpu: "asc" }, { memoryMb: "asc" }, { name: "asc" }] }),
    ctx.db.offeringProviderRef.findMany({ where: { providerId: id } }),
  ]);
  let sizes: DriverSize[] | null = null;
  let sizesError: OfferingSizesView["sizesError"] = null;
  if (provider.status === "DISABLED") {
    sizesError = { code: "DISABLED", message: "The provider is disabled" };
  } else {
    try {
      sizes = await withProviderDriver(ctx.db, provider, SIZES_TIMEOUT_MS, async (driver, signal) => {
        if (!driver.listSizes) return [];
        return driver.listSizes({ signal });
      });
    } catch (err) {
      sizesError = failureOf(asDriverError(err, id));
    }
  }
  const byOffering = new Map(refs.map((r) => [r.offeringId, r.ref]));
  return {
    mapped,
    offerings: offerings.map((o) => ({
      id: o.id,
      name: o.name,
      vcpu: o.vcpu,
      memoryMb: o.memoryMb,
      diskGb: o.diskGb,
      diskTier: o.diskTier,
      active: o.active,
      ref: byOffering.get(o.id) ?? "",
      suggestion: sizes ? closestSize(o, sizes) : null,
    })),
    sizes,
    sizesError,
  };
}
