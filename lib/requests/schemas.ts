// One schema per operation, shared by the request form (react-hook-form), the server
// actions and the API. Error messages are keys under "requests.errors" (messages/*/requests.json)
// so the form shows them in the user's language whichever side found the problem.
import { z } from "zod";
import { REQUEST_SORTS } from "./request-list-order";
import { PlacementScope, RequestStatus } from "../generated/prisma/enums";
import { MAX_NAME_LENGTH, MAX_PREFIX_LENGTH, MAX_QUANTITY, duplicateNames, isDnsLabel } from "./names";

export const MAX_JUSTIFICATION = 2000;

const machineName = z
  .string({ error: "nameRequired" })
  .min(1, { error: "nameRequired", abort: true })
  .max(MAX_NAME_LENGTH, { error: "nameTooLong", abort: true })
  .refine(isDnsLabel, { error: "nameInvalid" })
  // The refinement, stated for the API document (a refine has no JSON Schema form).
  .meta({ pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", description: "A DNS label: lowercase letters, digits and hyphens, not starting or ending with a hyphen." });

export const submitRequestSchema = z
  .object({
    projectId: z.uuid({ error: "projectRequired" }),
    offeringId: z.uuid({ error: "offeringRequired" }),
    templateId: z.uuid({ error: "templateRequired" }),
    quantity: z
      .number({ error: "quantityRange" })
      .int({ error: "quantityRange" })
      .min(1, { error: "quantityRange" })
      .max(MAX_QUANTITY, { error: "quantityRange" }),
    /** The machine name (quantity 1) or the prefix of the generated names (several). */
    name: machineName.optional(),
    /** API only: explicit names, one per machine, instead of `name`. */
    names: z.array(machineName).min(1, { error: "nameRequired" }).max(MAX_QUANTITY, { error: "quantityRange" }).optional(),
    /** YYYY-MM-DD; empty or absent: no lease end, refused where the project has a maximum lease. */
    leaseEndsAt: z
      .union([z.literal(""), z.iso.date({ error: "leaseInvalid" })])
      .optional()
      .meta({
        description:
          "The last day of the lease (YYYY-MM-DD, UTC); the machines are stopped after it and deleted after the project's grace period. Required when the project has a maximum lease (`maxLeaseDays`), and then at most that many days from today; empty or absent means no end.",
      }),
    justification: z.string({ error: "justificationInvalid" }).max(MAX_JUSTIFICATION, { error: "justificationTooLong" }).optional(),
    /** Where the machines may go: anywhere the project may (AUTO, the default), its private-cloud providers only, or one provider. */
    placement: z.enum(PlacementScope, { error: "placementInvalid" }).optional(),
    /** The provider, when placement is PROVIDER. */
    providerId: z.uuid({ error: "providerRequired" }).optional(),
    /** Which of the requester's SSH keys cloud-init puts into the machines; absent: all of them (as they are at provision). */
    sshKeyIds: z.array(z.uuid({ error: "sshKeysNotYours" })).max(50, { error: "sshKeysNotYours" }).optional(),
  })
  // Runs even when other fields failed (when: always), so every bad field is reported at
  // once; the values may then be of any shape, hence the type checks.
  .superRefine(
    (v, ctx) => {
      // Not even an object (an action called with no argument): the base schema reported it.
      if (!v || typeof v !== "object") return;
      if (v.placement === "PROVIDER" && !v.providerId) ctx.addIssue({ code: "custom", path: ["placement"], message: "providerRequired" });
      if (v.providerId && v.placement !== "PROVIDER") ctx.addIssue({ code: "custom", path: ["providerId"], message: "providerWithoutPlacement" });
      const name = typeof v.name === "string" ? v.name : undefined;
      const names = Array.isArray(v.names) ? v.names : undefined;
      if (v.name === undefined && v.names === undefined) {
        ctx.addIssue({ code: "custom", path: ["name"], message: "nameRequired" });
        return;
      }
      if (v.name !== undefined && v.names !== undefined) {
        ctx.addIssue({ code: "custom", path: ["names"], message: "nameOrNames" });
        return;
      }
      const quantity = typeof v.quantity === "number" && Number.isInteger(v.quantity) ? v.quantity : null;
      if (names) {
        if (quantity !== null && names.length !== quantity) ctx.addIssue({ code: "custom", path: ["names"], message: "namesCount" });
        if (duplicateNames(names).length) ctx.addIssue({ code: "custom", path: ["names"], message: "namesDuplicate" });
      } else if (name !== undefined && quantity !== null && quantity > 1 && name.length > MAX_PREFIX_LENGTH && name.length <= MAX_NAME_LENGTH) {
        ctx.addIssue({ code: "custom", path: ["name"], message: "prefixTooLong" });
      }
    },
    { when: () => true },
  );
export type SubmitRequestInput = z.infer<typeof submitRequestSchema>;
export type SubmitRequestFormValues = z.input<typeof submitRequestSchema>;

export const requestIdSchema = z.object({ requestId: z.uuid({ error: "requestRequired" }) });
export type RequestIdInput = z.infer<typeof requestIdSchema>;

export const REQUEST_STATUSES = Object.values(RequestStatus);

export const listMyRequestsSchema = z.object({
  status: z.enum(RequestStatus).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1).default(1),
  /** `created` (default: newest first), `cost` or `project`; ties by id. */
  sort: z.enum(REQUEST_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  /** Project, offering, machine name or request number. */
  q: z.string().trim().max(100).optional().catch(undefined),
  /** Keyset page: the `nextCursor` of the previous page, same sort and dir. */
  cursor: z.string().max(200).optional().catch(undefined),
});
export type ListMyRequestsInput = z.infer<typeof listMyRequestsSchema>;

export const requestFormQuerySchema = z.object({ offeringId: z.uuid() });

// The request page (/requests/<number>), its comments and resubmission (issue 16).
export const MAX_COMMENT = 4000;
export const requestNumberSchema = z.object({ number: z.coerce.number().int().min(1).max(2_147_483_647) });
export type RequestNumberInput = z.infer<typeof requestNumberSchema>;
export const addRequestCommentSchema = z.object({
  requestId: z.uuid({ error: "requestRequired" }),
  body: z.string({ error: "commentRequired" }).trim().min(1, { error: "commentRequired" }).max(MAX_COMMENT, { error: "commentTooLong" }),
});
export type AddRequestCommentInput = z.infer<typeof addRequestCommentSchema>;
export const resubmitRequestSchema = z.object({ requestId: z.uuid({ error: "requestRequired" }) });
export type ResubmitRequestInput = z.infer<typeof resubmitRequestSchema>;
