// Query-string schemas of the API: strict where the pages are forgiving. A page's filter
// form may ignore a stale or mistyped value; an API client must learn that its request was
// wrong. So unknown parameters, unknown enum values, empty ids, out-of-range pages and
// malformed numbers answer 400 with field details. Each parameter carries its description
// (the OpenAPI document shows it; a test checks none is missing).
import { decodeKeyCursor } from "../pagination";
import { MACHINE_SORTS } from "../machines/schemas";
import { REQUEST_SORTS } from "../requests/request-list-order";
import { USER_SORTS } from "../users/schemas";
import { z } from "zod";
import { BackupStatus, DiskTier, HostState, MachineState, OsFamily, RequestStatus } from "../generated/prisma/enums";
import { auditCursorSchema } from "../audit/schemas";
import { isCalendarDay } from "../audit/time-range";
import { operationCursorSchema } from "./verbs/schemas";

export const MAX_PAGE = 100_000;

/** A whole number in a query string, documented as an integer with its bounds. */
export const queryInt = (min: number, max: number, description: string) =>
  z
    .preprocess((v) => (typeof v === "string" && /^-?\d{1,16}$/.test(v) ? Number(v) : v), z.int({ error: `Enter a whole number from ${min} to ${max}.` }).min(min, `Enter a whole number from ${min} to ${max}.`).max(max, `Enter a whole number from ${min} to ${max}.`))
    .meta({ description });

const page = queryInt(1, MAX_PAGE, `Page number, from 1 (the default) to ${MAX_PAGE}; 20 items a page. A page past the last one is empty.`).optional();
const uuidParam = (description: string) => z.uuid({ error: "Not a valid id (a UUID)." }).meta({ description });
const enumParam = <T extends Record<string, string>>(values: T, description: string) =>
  z.enum(values, { error: `Use one of: ${Object.values(values).join(", ")}.` }).meta({ description });
const bool = (description: string) =>
  z
    .enum(["true", "false"], { error: "Use true or false." })
    .transform((v) => v === "true")
    .meta({ description });
const day = (description: string) =>
  z
    .string()
    .refine(isCalendarDay, "Use a date as YYYY-MM-DD.")
    .meta({ description, format: "date", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" });

export const offeringsQuery = z.strictObject({
  tier: enumParam(DiskTier, "Only offerings with this disk tier.").optional(),
  minVcpu: queryInt(1, 100_000, "Only offerings with at least this many vCPUs.").optional(),
  minMemoryGb: queryInt(1, 100_000, "Only offerings with at least this much memory, in GiB.").optional(),
});

export const templatesQuery = z.strictObject({
  osFamily: enumParam(OsFamily, "Only templates of this OS family.").optional(),
});

export const projectsQuery = z.strictObject({
  includeArchived: bool("Include archived projects (default false).").optional(),
});



const requestSort = z.enum(REQUEST_SORTS).meta({ description: "Order by `created` (submission time), `cost` (monthly) or `project` (name), ties by id." });
const sortDir = (dflt: string) => z.enum(["asc", "desc"]).meta({ description: `\`asc\` or \`desc\`; by default ${dflt}.` });
const keyCursor = z
  .string()
  .min(1)
  .max(200)
  .refine((c) => decodeKeyCursor(c) !== null, "Not a cursor of this list.")
  .meta({ description: "`nextCursor` of the previous page, with the same `sort` and `dir` (keyset: a deep page costs what the first does); when given, `page` is ignored." });
const requestQ = (what: string) => z.string().trim().min(1, "Enter at least one character.").max(100, "Use at most 100 characters.").meta({ description: `Only requests whose ${what} contains this text (case-insensitive), or with this number (\`42\` or \`#42\`).` });

export const requestsQuery = z.strictObject({
  status: enumParam(RequestStatus, "Only requests in this status.").optional(),
  sort: requestSort.optional(),
  dir: sortDir("newest first for `created`, most expensive first for `cost`, A to Z for `project`").optional(),
  q: requestQ("project, offering or a machine name").optional(),
  page,
  cursor: keyCursor.optional(),
});

export const approvalsQuery = z.strictObject({
  sort: requestSort.optional(),
  dir: sortDir("oldest first for `created`, most expensive first for `cost`, A to Z for `project`").optional(),
  q: requestQ("requester (name or e-mail), project, offering or a machine name").optional(),
  page,
  cursor: keyCursor.optional(),
});

export const machinesQuery = z.strictObject({
  projectId: uuidParam("Only machines of this project.").optional(),
  state: enumParam(MachineState, "Only machines in this state (DELETED machines are listed only when asked for).").optional(),
  providerId: uuidParam("Only machines on this provider.").optional(),
  q: z.string().trim().min(1, "Enter at least one character.").max(100, "Use at most 100 characters.").meta({ description: "Only machines whose name contains this text (case-insensitive) or whose IP address starts with it." }).optional(),
  sort: z.enum(MACHINE_SORTS).meta({ description: "Order by `created` (default), `name`, `state` or `cost` (monthly), ties by id." }).optional(),
  dir: z.enum(["asc", "desc"]).meta({ description: "`asc` or `desc`; by default newest first for `created`, ascending otherwise." }).optional(),
  page,
  cursor: z.string().min(1).max(200).refine((c) => decodeKeyCursor(c) !== null, "Not a cursor of this list.").meta({ description: "`nextCursor` of the previous page, with the same `sort` and `dir` (keyset: a deep page costs what the first does); when given, `page` is ignored." }).optional(),
});

export const machineOperationsQuery = z.strictObject({
  cursor: operationCursorSchema.meta({ description: "`nextCursor` of the previous page; absent for the newest operations." }).optional(),
  limit: queryInt(1, 100, "Operations per page, 1 to 100 (default 50).").optional(),
});

export const auditQuery = z.strictObject({
  actor: z.string().trim().min(1).max(320).meta({ description: "Only events by this actor: an e-mail address, or `system`." }).optional(),
  action: z.string().trim().min(1).max(100).meta({ description: "Only events with this action, e.g. `request.submit` (`<entity>.<verb>`)." }).optional(),
  targetType: z.string().trim().min(1).max(100).meta({ description: "Only events about this kind of thing, e.g. `Machine`." }).optional(),
  targetId: z.string().trim().min(1).max(100).meta({ description: "Only events about this one thing (its id), e.g. a machine's id." }).optional(),
  projectId: uuidParam("Only events in this project.").optional(),
  from: day("Only events on or after this calendar day (server time zone).").optional(),
  to: day("Only events on or before this calendar day (server time zone); not before `from`.").optional(),
  after: auditCursorSchema.meta({ description: "`olderCursor` of the previous page: the next, older page." }).optional(),
  before: auditCursorSchema.meta({ description: "`newerCursor` of a page: the previous, newer page." }).optional(),
  limit: queryInt(1, 200, "Events per page, 1 to 200 (default 50).").optional(),
});

export const hostsQuery = z.strictObject({
  providerId: uuidParam("Only hosts of this provider.").optional(),
  state: enumParam(HostState, "Only hosts in this state.").optional(),
  page,
});

export const notificationsQuery = z.strictObject({
  limit: queryInt(1, 50, "How many, newest first: 1 to 50 (default 15).").optional(),
  unreadOnly: bool("Only unread notifications (default false).").optional(),
});

export const leaseExtensionsQuery = z.strictObject({
  status: z.enum(["PENDING", "DECIDED"], { error: "Use PENDING or DECIDED." }).meta({ description: "PENDING (the default): waiting for a decision; DECIDED: approved or rejected." }).optional(),
  page,
});

export const adminListQuery = z.strictObject({ page });

export const usersQuery = z.strictObject({
  q: z.string().trim().min(1, "Enter at least one character.").max(100, "Use at most 100 characters.").meta({ description: "Only users whose e-mail or name contains this text." }).optional(),
  sort: z.enum(USER_SORTS).meta({ description: "Order by `email` (default), `name` or `created` (sign-up time), ties by id." }).optional(),
  dir: sortDir("A to Z for `email` and `name`, newest first for `created`").optional(),
  page,
  cursor: keyCursor.optional(),
});

// Backups, schedules, maintenance (lib/api/operations-ops.ts).
export const backupsQuery = z.strictObject({
  projectId: uuidParam("Only restore points (and policies) of this project.").optional(),
  machineId: uuidParam("Only restore points of this machine.").optional(),
  status: enumParam(BackupStatus, "Only restore points in this status; EXPIRED ones (removed by retention or by hand) are listed only when asked for.").optional(),
});

export const schedulesQuery = z.strictObject({
  machineId: uuidParam("Only the schedules that act on this machine: its own and its project's.").optional(),
  projectId: uuidParam("Only the schedules of this project.").optional(),
});

export const maintenanceQuery = z.strictObject({
  month: z
    .string()
    .regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/, "Use a month as YYYY-MM.")
    .meta({ description: "The calendar month (UTC) whose windows are listed, as YYYY-MM; the current month by default.", examples: ["2026-03"] })
    .optional(),
});
