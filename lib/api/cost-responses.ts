// What the cost operations of /api/v1 answer (lib/api/cost-operations.ts), as zod schemas: they
// document the responses and the tests parse real responses with them.
import { z } from "zod";
import { BudgetBasis, PriceItemKind, PriceUnit, ProjectPlacementPolicy, ProviderKind, ProviderStatus } from "../generated/prisma/enums";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const cents = z.int().meta({ description: "Integer cents of `currency`." });
const diskTier = z.enum(["SSD", "HDD"]);

export const priceComparison = z.object({
  currency: z.string(),
  quantity: z.int(),
  offering: z.object({ id, name: z.string(), vcpu: z.int(), memoryMb: z.int(), diskGb: z.int(), diskTier, monthlyPriceCents: cents }),
  project: z
    .object({ id, placementPolicy: z.enum(ProjectPlacementPolicy), providerChoice: z.boolean(), defaultProviderId: id.nullable(), canChoose: z.boolean() })
    .nullable(),
  rows: z
    .array(
      z.object({
        providerId: id,
        name: z.string(),
        kind: z.enum(ProviderKind),
        cloud: z.enum(["private", "public"]),
        status: z.enum(ProviderStatus),
        perMachineCents: cents.nullable().meta({ description: "A month (730 hours) of one machine; null when the provider has no price for it." }),
        totalCents: cents.nullable(),
        computeCents: cents.nullable(),
        storageCents: cents.nullable(),
        instanceType: z.string().nullable(),
        unpriced: z.enum(["NO_PRICE_BOOK", "NO_INSTANCE_TYPE"]).nullable(),
        priceScope: z.enum(["provider", "kind"]).nullable(),
        availability: z.enum(["AVAILABLE", "PARTIAL", "FULL", "NO_DISK_TIER", "UNAVAILABLE"]),
        fits: z.int(),
        allowed: z.boolean(),
        selectable: z.boolean(),
        recommended: z.boolean(),
      }),
    )
    .meta({ description: "Cheapest first; providers without a price last." }),
});

const millicents = z.number().meta({ description: "Exact amount in 1/1000 of a cent." });
const amount = { computeCents: cents, storageCents: cents, totalCents: cents, computeMillicents: millicents, storageMillicents: millicents, totalMillicents: millicents };

export const costReport = z.object({
  currency: z.string(),
  timeZone: z.string(),
  month: z.string(),
  isCurrentMonth: z.boolean(),
  groupBy: z.enum(["project", "provider", "offering", "owner"]),
  project: z.object({ id, name: z.string(), monthlyBudgetCents: cents.nullable() }).nullable(),
  projects: z.array(z.object({ id, name: z.string() })),
  canSeeAll: z.boolean(),
  accruedUntil: dateTime.nullable(),
  total: z.object(amount),
  forecast: z.object({ totalCents: cents, totalMillicents: z.number(), ratePerHourMillicents: z.number() }).nullable(),
  budgetCents: cents.nullable(),
  daily: z.array(z.object({ day: z.string(), totalCents: cents, totalMillicents: millicents, cumulativeCents: cents, cumulativeMillicents: millicents })),
  trend: z.array(z.object({ month: z.string(), ...amount })),
  breakdown: z.array(
    z.object({ id, label: z.string(), detail: z.string().nullable(), kind: z.enum(ProviderKind).nullable(), poweredHours: z.number(), share: z.number(), ...amount }),
  ),
});

const bookSummary = z
  .object({
    id,
    versions: z.int(),
    inForce: z.object({ versionId: id, effectiveFrom: dateTime, items: z.int() }).nullable(),
    next: z.object({ effectiveFrom: dateTime }).nullable(),
  })
  .nullable();

export const priceBookList = z.object({
  currency: z.string(),
  providers: z.array(
    z.object({ id, name: z.string(), kind: z.enum(ProviderKind), status: z.enum(ProviderStatus), cloud: z.enum(["private", "public"]), scope: z.enum(["provider", "kind"]).nullable(), book: bookSummary }),
  ),
  kinds: z.array(z.object({ kind: z.enum(ProviderKind), cloud: z.enum(["private", "public"]), book: bookSummary, providers: z.int() })),
});

export const priceBookDetail = z.object({
  id,
  currency: z.string(),
  provider: z.object({ id, name: z.string(), kind: z.enum(ProviderKind) }).nullable(),
  providerKind: z.enum(ProviderKind).nullable(),
  kind: z.enum(ProviderKind),
  usedBy: z.array(z.object({ id, name: z.string() })),
  versions: z.array(
    z.object({
      id,
      effectiveFrom: dateTime,
      note: z.string(),
      source: z.string(),
      createdBy: z.string().nullable(),
      createdAt: dateTime,
      status: z.enum(["IN_FORCE", "SCHEDULED", "PAST"]),
      items: z.array(
        z.object({
          kind: z.enum(PriceItemKind),
          name: z.string(),
          vcpu: z.int().nullable(),
          memoryMb: z.int().nullable(),
          unit: z.enum(PriceUnit),
          millicents: z.int().meta({ description: "Price of one unit for one hour or month, in 1/1000 of a cent." }),
        }),
      ),
    }),
  ),
});

export const priceBookRef = z.object({ id });
export const priceVersionRef = z.object({ priceBookId: id, versionId: id, effectiveFrom: dateTime, items: z.int() });

export const projectCostSettings = z.object({
  projectId: id,
  placementPolicy: z.enum(ProjectPlacementPolicy),
  providerChoice: z.boolean(),
  monthlyBudgetCents: cents.nullable(),
  thresholds: z.array(z.object({ percent: z.int(), basis: z.enum(BudgetBasis) })),
});

export const projectCostSettingsSaved = z.object({
  projectId: id,
  placementPolicy: z.enum(ProjectPlacementPolicy),
  providerChoice: z.boolean(),
  budgetThresholds: z.array(z.object({ percent: z.int(), basis: z.enum(BudgetBasis) })),
});

export const costRunQueued = z.object({ queued: z.literal(true) });
export const costCsv = z.string().meta({ description: "CSV: date, project, provider, provider_kind, offering, owner, owner_email, powered_hours, compute, storage, total, currency." });
