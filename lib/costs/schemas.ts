// Zod schemas of the cost features, shared by forms, server actions and the API. Messages are
// keys under "costs.errors" (messages/<locale>/costs.json).
import { z } from "zod";
import { MAX_QUANTITY } from "../requests/names";
import { ProjectPlacementPolicy, ProviderKind } from "../generated/prisma/enums";

const e = (key: string) => key;

/** Largest price of one unit (a PostgreSQL integer of millicents: 21,474.83647 currency units). */
export const MAX_PRICE_MILLICENTS = 2_147_483_647;
const AMOUNT = /^(\d{1,8})(?:[.,](\d{1,5}))?$/;

/** "0.0104" or "12,5" (currency units, up to 5 decimals: a thousandth of a cent) to millicents; null if invalid. */
export function parseAmountToMillicents(input: string | number): number | null {
  const s = typeof input === "number" ? (Number.isFinite(input) && input >= 0 ? input.toFixed(5) : "-") : input.trim();
  const m = AMOUNT.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 100_000 + Number((m[2] ?? "0").padEnd(5, "0"));
  return v <= MAX_PRICE_MILLICENTS ? v : null;
}

/** Millicents to the plain string a form shows ("1040" -> "0.0104"). */
export function millicentsToAmountInput(m: number): string {
  const whole = Math.trunc(m / 100_000);
  const frac = String(m % 100_000).padStart(5, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac.length < 2 ? frac.padEnd(2, "0") : frac}` : `${whole}.00`;
}

export const PRICE_ITEM_KINDS = ["VCPU", "MEMORY_GIB", "SSD_GB", "HDD_GB", "MACHINE", "INSTANCE"] as const;
export const PRICE_UNITS = ["HOUR", "MONTH"] as const;

export const priceItemSchema = z
  .object({
    kind: z.enum(PRICE_ITEM_KINDS, { error: e("itemKindInvalid") }),
    /** The instance type (INSTANCE only). */
    name: z.string({ error: e("instanceNameInvalid") }).trim().max(64, e("instanceNameInvalid")).regex(/^[A-Za-z0-9._:/-]*$/, e("instanceNameInvalid")).default(""),
    /** Size of an instance type. */
    vcpu: z.number({ error: e("instanceVcpuInvalid") }).int(e("instanceVcpuInvalid")).min(1, e("instanceVcpuInvalid")).max(1024, e("instanceVcpuInvalid")).nullish(),
    memoryGib: z.number({ error: e("instanceMemoryInvalid") }).min(0.5, e("instanceMemoryInvalid")).max(65536, e("instanceMemoryInvalid")).multipleOf(0.5, e("instanceMemoryInvalid")).nullish(),
    unit: z.enum(PRICE_UNITS, { error: e("unitInvalid") }),
    /** Price of one unit for one hour or month, in currency units (up to 5 decimals). */
    amount: z.union([z.string(), z.number()], { error: e("amountInvalid") }).refine((v) => parseAmountToMillicents(v) !== null, e("amountInvalid")),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "INSTANCE") {
      if (!v.name) ctx.addIssue({ code: "custom", path: ["name"], message: e("instanceNameRequired") });
      if (v.vcpu == null) ctx.addIssue({ code: "custom", path: ["vcpu"], message: e("instanceVcpuInvalid") });
      if (v.memoryGib == null) ctx.addIssue({ code: "custom", path: ["memoryGib"], message: e("instanceMemoryInvalid") });
    }
  });
export type PriceItemInput = z.input<typeof priceItemSchema>;

export const priceItemsSchema = z
  .array(priceItemSchema)
  .min(1, e("itemsRequired"))
  .max(1000, e("itemsTooMany"))
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((i, n) => {
      const key = `${i.kind}:${i.kind === "INSTANCE" ? i.name.toLowerCase() : ""}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [n, i.kind === "INSTANCE" ? "name" : "kind"], message: e("itemDuplicate") });
      seen.add(key);
    });
  });

/** ISO date-time, or "" / absent for "now". */
const effectiveFromField = z
  .union([z.literal(""), z.iso.datetime({ offset: true, local: true, error: e("effectiveFromInvalid") })])
  .optional()
  .meta({ description: "When the prices take effect (ISO date-time, now or later); empty or absent: now.", example: "2026-04-01T00:00:00Z" });

export const addPriceVersionSchema = z.object({
  priceBookId: z.uuid(),
  effectiveFrom: effectiveFromField,
  note: z.string().trim().max(500, e("noteTooLong")).default(""),
  items: priceItemsSchema,
});
export type AddPriceVersionInput = z.infer<typeof addPriceVersionSchema>;

export const importPriceListSchema = z.object({
  priceBookId: z.uuid(),
  effectiveFrom: effectiveFromField,
  format: z.enum(["csv", "json"], { error: e("formatInvalid") }),
  /** The file's text (60 KiB at most). */
  content: z.string({ error: e("fileRequired") }).min(1, e("fileRequired")).max(60 * 1024, e("fileTooLarge")),
  fileName: z.string().trim().max(200).default(""),
});
export type ImportPriceListInput = z.infer<typeof importPriceListSchema>;

export const createPriceBookSchema = z
  .object({ providerId: z.uuid().optional(), providerKind: z.enum(ProviderKind).optional() })
  .refine((v) => (v.providerId ? 1 : 0) + (v.providerKind ? 1 : 0) === 1, { message: e("bookTargetInvalid"), path: ["providerId"] });
export type CreatePriceBookInput = z.infer<typeof createPriceBookSchema>;

export const priceBookIdSchema = z.object({ priceBookId: z.uuid() });

export const compareProvidersSchema = z.object({
  offeringId: z.uuid().describe("The offering to price."),
  templateId: z.uuid().optional().describe("Only providers that offer this template (the request form always sends it)."),
  quantity: z.coerce.number().int().min(1).max(MAX_QUANTITY).default(1).describe("How many machines (capacity is checked for all of them)."),
  projectId: z.uuid().optional().describe("The project the machines are for: its placement policy and whether members may choose."),
});
export type CompareProvidersInput = z.infer<typeof compareProvidersSchema>;

export const COST_GROUPS = ["project", "provider", "offering", "owner"] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

export const costsQuerySchema = z.object({
  projectId: z.uuid().optional().describe("One project (default: every project you can see)."),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().meta({ description: "YYYY-MM in the portal's time zone (default: this month).", example: "2026-03" }),
  groupBy: z.enum(COST_GROUPS).default("provider").describe("Breakdown of the month by project, provider, offering or owner."),
});

/** The Costs page's query string: what does not parse falls back to the default. */
export const costsPageQuerySchema = z.object({
  projectId: costsQuerySchema.shape.projectId.catch(undefined),
  month: costsQuerySchema.shape.month.catch(undefined),
  groupBy: z.enum(COST_GROUPS).catch("provider").default("provider"),
});
export type CostsQuery = z.infer<typeof costsQuerySchema>;

export const BUDGET_BASES = ["ACTUAL", "FORECAST"] as const;

/** The fields (the API documents the body from them); projectCostSettingsSchema adds the cross-field checks. */
export const projectCostSettingsFields = z.object({
    projectId: z.uuid(),
    placementPolicy: z.enum(ProjectPlacementPolicy, { error: e("policyInvalid") }),
    providerChoice: z.boolean(),
    thresholds: z
      .array(z.object({ percent: z.number({ error: e("percentInvalid") }).int(e("percentInvalid")).min(1, e("percentInvalid")).max(1000, e("percentInvalid")), basis: z.enum(BUDGET_BASES) }))
      .max(10, e("thresholdsTooMany")),
  });

export const projectCostSettingsSchema = projectCostSettingsFields.superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.thresholds.forEach((t, i) => {
      const key = `${t.percent}:${t.basis}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["thresholds", i, "percent"], message: e("thresholdDuplicate") });
      seen.add(key);
    });
  });
export type ProjectCostSettingsInput = z.infer<typeof projectCostSettingsSchema>;
export type ProjectCostSettingsFormValues = z.input<typeof projectCostSettingsSchema>;

export const projectIdOnlySchema = z.object({ projectId: z.uuid() });
