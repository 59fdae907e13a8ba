// Zod schemas of the schedule verbs, shared by forms, server actions and the API.
import { z } from "zod";
import { cronField } from "../backups/schemas";
import { SCHEDULE_ACTIONS } from "./actions";

const id = z.uuid("Not a valid id");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const createScheduleSchema = z
  .object({
    projectId: optional(id),
    machineId: optional(id),
    name: z.string().trim().min(1, "Enter a name").max(100),
    action: z.enum(SCHEDULE_ACTIONS),
    cron: cronField,
    /** For BACKUP. */
    targetId: optional(id),
    /** For SNAPSHOT_CREATE: at each run, delete the machine's scheduled snapshots beyond the newest n. */
    keep: optional(z.coerce.number().int().min(1, "Keep at least one").max(100, "Keep at most 100")).meta({
      description: "SNAPSHOT_CREATE only: at each run, the machine's scheduled snapshots beyond the newest keep are deleted (keep previous ones and the new one remain), 1 to 100. Omit to keep them all.",
      examples: [7],
    }),
  })
  .superRefine((v, ctx) => {
    if (v.keep !== undefined && v.action !== "SNAPSHOT_CREATE") ctx.addIssue({ code: "custom", path: ["keep"], message: "Only snapshot schedules keep a number of snapshots" });
    if (!v.projectId && !v.machineId) ctx.addIssue({ code: "custom", path: ["machineId"], message: "Choose a machine or a project" });
    if (v.action === "BACKUP" && !v.targetId) ctx.addIssue({ code: "custom", path: ["targetId"], message: "Choose a backup target" });
  });

export const scheduleIdSchema = z.object({ scheduleId: id });
export const setScheduleEnabledSchema = z.object({ scheduleId: id, enabled: z.boolean() });

export const listSchedulesSchema = z.object({ machineId: optional(id), projectId: optional(id) });

/** The fields of a machine's availability settings (the API body documents them without machineId). */
export const machineAvailabilityFields = z.object({
  machineId: id,
  highlyAvailable: z.boolean().meta({ description: "Restart the machine on another host when its host fails." }),
  stopWindowCron: optional(cronField).meta({ description: "When the owner's stop window opens: a cron expression in the project's time zone. Omit (with stopWindowMinutes) for none: then a drain may stop the machine any time." }),
  stopWindowMinutes: optional(z.coerce.number().int().min(15, "At least 15 minutes").max(24 * 60)).meta({ description: "How long the stop window lasts, 15 to 1440 minutes." }),
});

export const setMachineAvailabilitySchema = machineAvailabilityFields.superRefine((v, ctx) => {
    if (!!v.stopWindowCron !== !!v.stopWindowMinutes) ctx.addIssue({ code: "custom", path: ["stopWindowMinutes"], message: "Give both the start and the length of the window" });
  });
