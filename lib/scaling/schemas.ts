// Schemas of the scaling-group verbs, shared by the form, the actions, the API and the tests.
import { z } from "zod";

const size = (what: string) => z.int().min(0, `${what} cannot be negative`).max(100, `${what}: at most 100`);

const tuning = {
  minSize: size("Minimum").meta({ description: "Fewest machines the group keeps.", example: 1 }),
  maxSize: size("Maximum").min(1, "At least 1").meta({ description: "Most machines the group may have (always within the project's quota).", example: 4 }),
  targetCpuPercent: z.number().min(5, "At least 5 %").max(95, "At most 95 %").meta({ description: "Average CPU utilisation (percent) of the running members to aim for.", example: 60 }),
  scaleOutCooldownSeconds: z.int().min(0).max(86_400).default(120).meta({ description: "Seconds after a scale-out before the next one.", example: 120 }),
  scaleInCooldownSeconds: z.int().min(0).max(86_400).default(300).meta({ description: "Seconds after any scaling before a scale-in.", example: 300 }),
  stepSize: z.int().min(1).max(10).default(1).meta({ description: "Machines added or removed per decision.", example: 1 }),
  windowSeconds: z.int().min(60).max(3600).default(120).meta({ description: "Samples of this many seconds are averaged.", example: 120 }),
};

function boundsCheck(v: { minSize: number; maxSize: number; desired?: number }, ctx: z.RefinementCtx) {
  if (v.minSize > v.maxSize) ctx.addIssue({ code: "custom", path: ["minSize"], message: "The minimum cannot exceed the maximum" });
  if (v.desired !== undefined && (v.desired < v.minSize || v.desired > v.maxSize)) ctx.addIssue({ code: "custom", path: ["desired"], message: "Between the minimum and the maximum" });
}

export const createScalingGroupSchema = z
  .strictObject({
    projectId: z.uuid(),
    name: z
      .string()
      .trim()
      .min(1, "Name the group")
      .max(40)
      .regex(/^[a-z][a-z0-9-]*$/, "Lower-case letters, digits and hyphens, starting with a letter")
      .meta({ description: "Also the prefix of its machines' names (name-1, name-2, ...).", example: "web" }),
    offeringId: z.uuid(),
    templateId: z.uuid(),
    placement: z.enum(["AUTO", "PRIVATE", "PROVIDER"]).default("AUTO").meta({ description: "Where its machines may go, as for a request." }),
    providerId: z.uuid().optional().meta({ description: "With placement PROVIDER: the provider." }),
    desired: size("Desired").meta({ description: "Machines to start with.", example: 1 }),
    ...tuning,
  })
  .superRefine(boundsCheck);
export type CreateScalingGroupInput = z.infer<typeof createScalingGroupSchema>;

export const updateScalingGroupBase = z.strictObject({
  groupId: z.uuid(),
  ...tuning,
});
export const updateScalingGroupSchema = updateScalingGroupBase.superRefine(boundsCheck);
export type UpdateScalingGroupInput = z.infer<typeof updateScalingGroupSchema>;

export const scalingGroupIdSchema = z.strictObject({ groupId: z.uuid() });

export const deleteScalingGroupSchema = z.strictObject({
  groupId: z.uuid(),
  confirmName: z.string().meta({ description: "The group's exact name, as a guard." }),
});

export const listScalingGroupsSchema = z.strictObject({
  projectId: z.uuid().optional().meta({ description: "Only this project's groups." }),
});
