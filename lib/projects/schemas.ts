// Zod schemas for project administration, shared by the admin forms, the server actions and
// the API. Messages are message keys (messages/<locale>/projects.json).
import { z } from "zod";
import { moneyField } from "../offerings/schemas";
import { isTimeZone } from "../schedules/cron";

const k = (key: string) => `projects.validation.${key}`;

/** Day-2 actions an administrator can switch off per project (OperationKind names). */
export const DAY2_ACTIONS = ["START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "BACKUP", "RESTORE", "DELETE"] as const;
export const PROJECT_ROLES = ["VIEWER", "MEMBER", "APPROVER"] as const;

const count = (key: string, max: number) => z.number({ error: k(key) }).int(k(key)).min(0, k(key)).max(max, k(key));
const money = (key: string) => moneyField({ required: false, keys: { negative: k(`${key}Negative`), format: k(`${key}Format`) } });

export const projectFieldsSchema = z.object({
  name: z.string({ error: k("nameRequired") }).trim().min(1, k("nameRequired")).max(80, k("nameTooLong")),
  // DNS-label-like: lower-case letters, digits and hyphens, 1..63, no leading/trailing hyphen.
  slug: z
    .string({ error: k("slugFormat") })
    .trim()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, k("slugFormat")),
  description: z.string({ error: k("descriptionTooLong") }).trim().max(500, k("descriptionTooLong")),
  quotaVcpu: count("quotaVcpuRange", 100_000),
  quotaMemoryGib: z
    .number({ error: k("quotaMemoryRange") })
    .min(0, k("quotaMemoryRange"))
    .max(1_000_000, k("quotaMemoryRange"))
    .multipleOf(0.5, k("quotaMemoryStep")),
  quotaDiskSsdGb: count("quotaDiskRange", 1_000_000_000),
  quotaDiskHddGb: count("quotaDiskRange", 1_000_000_000),
  quotaMachines: count("quotaMachinesRange", 100_000),
  monthlyBudget: money("budget"),
  autoApproveBelow: money("autoApprove"),
  maxLeaseDays: z.number({ error: k("maxLeaseDaysRange") }).int(k("maxLeaseDaysRange")).min(1, k("maxLeaseDaysRange")).max(3650, k("maxLeaseDaysRange")).nullable(),
  leaseGraceDays: z.number({ error: k("leaseGraceDaysRange") }).int(k("leaseGraceDaysRange")).min(0, k("leaseGraceDaysRange")).max(365, k("leaseGraceDaysRange")),
  disabledActions: z.array(z.enum(DAY2_ACTIONS, { error: k("disabledActionsInvalid") })).max(DAY2_ACTIONS.length),
  // The IANA zone the project's schedules and backup policies fire in. Optional so API
  // clients written before it keep working: a new project gets UTC, an update keeps the zone.
  timeZone: z
    .string({ error: k("timeZoneInvalid") })
    .trim()
    .max(64, k("timeZoneInvalid"))
    .refine(isTimeZone, k("timeZoneInvalid"))
    .meta({ description: "IANA time zone of the project's schedules and backup policies, e.g. Europe/Lisbon (default UTC on creation; unchanged when omitted on update).", examples: ["Europe/Lisbon"] })
    .optional(),
});
export type ProjectFields = z.infer<typeof projectFieldsSchema>;

export const projectIdSchema = z.object({ id: z.uuid() });
export const createProjectSchema = projectFieldsSchema;
export const updateProjectSchema = projectFieldsSchema.extend({ id: z.uuid() });
export const setProjectArchivedSchema = z.object({ id: z.uuid(), archived: z.boolean() });

export const addMemberSchema = z.object({
  projectId: z.uuid(),
  email: z.string({ error: k("emailFormat") }).trim().toLowerCase().pipe(z.email({ error: k("emailFormat") })),
  role: z.enum(PROJECT_ROLES, { error: k("roleInvalid") }),
});
export const changeMemberRoleSchema = z.object({
  projectId: z.uuid(),
  userId: z.uuid(),
  role: z.enum(PROJECT_ROLES, { error: k("roleInvalid") }),
});
export const removeMemberSchema = z.object({ projectId: z.uuid(), userId: z.uuid() });

/** Which providers the project's machines may be placed on (none: every provider) and its default. */
export const setProjectProvidersSchema = z.object({
  projectId: z.uuid(),
  providerIds: z.array(z.uuid()).max(500),
  defaultProviderId: z.union([z.uuid(), z.literal(""), z.null()]).transform((v) => v || null),
});
export type SetProjectProvidersInput = z.input<typeof setProjectProvidersSchema>;

export const PROJECT_SORTS = ["name", "machines", "members"] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];
/** The administrators' project list (a page of it, or its CSV export). */
export const listProjectPageSchema = z.object({
  /** Name or slug contains (any case). */
  q: z.string().trim().max(100).optional(),
  /** `name`, `machines` (in use) or `members`; none: active before archived, then by name. Ties by id. */
  sort: z.enum(PROJECT_SORTS).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  /** Keyset page: the `nextCursor` of the previous page, same search, sort and dir. */
  cursor: z.string().max(300).optional(),
});
export type ListProjectPageInput = z.infer<typeof listProjectPageSchema>;
