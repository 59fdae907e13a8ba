// Zod schemas for offerings, shared by the admin form (react-hook-form resolver), the server
// actions and the API. Messages are message keys (messages/<locale>/offerings.json).
import { z } from "zod";
import { parseMoneyToCents } from "./units";

const k = (key: string) => `offerings.validation.${key}`;

/**
 * A money amount typed in currency units (string, so "12,50" and "12.50" both work).
 * Optional amounts accept "" (= none). Keys name the messages for each failure.
 */
export function moneyField(opts: { required: boolean; keys: { required?: string; negative: string; format: string } }) {
  return z.string({ error: opts.keys.format }).max(20, opts.keys.format).superRefine((s, ctx) => {
    const v = s.trim();
    if (v === "") {
      if (opts.required) ctx.addIssue({ code: "custom", message: opts.keys.required ?? opts.keys.format });
      return;
    }
    if (v.startsWith("-")) ctx.addIssue({ code: "custom", message: opts.keys.negative });
    else if (parseMoneyToCents(v) === null) ctx.addIssue({ code: "custom", message: opts.keys.format });
  }).meta({
    // The refinement, stated for the API document.
    pattern: opts.required ? "^\\s*\\d{1,10}(?:[.,]\\d{1,2})?\\s*$" : "^\\s*(?:\\d{1,10}(?:[.,]\\d{1,2})?)?\\s*$",
    description: `An amount in currency units as text: digits, optionally "." or "," and one or two decimals (no sign, no thousands separators), at most 20,000,000.00${opts.required ? "" : "; empty for none"}.`,
  });
}

export const DISK_TIERS = ["SSD", "HDD"] as const;

export const offeringFieldsSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")),
  description: z.string({ error: k("descriptionTooLong") }).trim().max(500, k("descriptionTooLong")),
  vcpu: z.number({ error: k("vcpuRange") }).int(k("vcpuInteger")).min(1, k("vcpuRange")).max(256, k("vcpuRange")),
  memoryGib: z
    .number({ error: k("memoryRange") })
    .min(0.5, k("memoryRange"))
    .max(4096, k("memoryRange"))
    .multipleOf(0.5, k("memoryStep")),
  diskGb: z.number({ error: k("diskRange") }).int(k("diskInteger")).min(10, k("diskRange")).max(65536, k("diskRange")),
  diskTier: z.enum(DISK_TIERS, { error: k("diskTierInvalid") }),
  monthlyPrice: moneyField({ required: true, keys: { required: k("priceRequired"), negative: k("priceNegative"), format: k("priceFormat") } }),
});
export type OfferingFields = z.infer<typeof offeringFieldsSchema>;

export const offeringIdSchema = z.object({ id: z.uuid() });
export const createOfferingSchema = offeringFieldsSchema;
export const updateOfferingSchema = offeringFieldsSchema.extend({ id: z.uuid() });
export const setOfferingActiveSchema = z.object({ id: z.uuid(), active: z.boolean() });
