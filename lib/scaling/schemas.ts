// Schemas of the scaling-group verbs, shared by the form, the actions, the API and the tests.
// Field errors are message keys (messages/<locale>/fieldErrors.json, i18n/field-message.ts).
import { z } from "zod";
import { fe } from "../../i18n/field-message";

const intIn = (min: number, max: number, key: string) => z.int({ error: fe("scaling", key) }).min(min, fe("scaling", key)).max(max, fe("scaling", key));
const size = () => intIn(0, 100, "sizeRange");
const id = (key: "projectRequired" | "offeringRequired" | "templateRequired" | "providerRequired" | "idInvalid") => z.uuid({ error: fe("common", key) });

const tuning = {
  minSize: size().meta({ description: "Fewest machines the group keeps.", example: 1 }),
  maxSize: intIn(1, 100, "maxAtLeastOne").meta({ description: "Most machines the group may have (always within the project's quota).", example: 4 }),
  targetCpuPercent: z
    .number({ error: fe("scaling", "cpuRange") })
    .min(5, fe("scaling", "cpuRange"))
    .max(95, fe("scaling", "cpuRange"))
    .meta({ description: "Average CPU utilisation (percent) of the running members to aim for.", example: 60 }),
  scaleOutCooldownSeconds: intIn(0, 86_400, "cooldownRange").default(120).meta({ description: "Seconds after a scale-out before the next one.", example: 120 }),
  scaleInCooldownSeconds: intIn(0, 86_400, "cooldownRange").default(300).meta({ description: "Seconds after any scaling before a scale-in.", example: 300 }),
  stepSize: intIn(1, 10, "stepRange").default(1).meta({ description: "Machines added or removed per decision.", example: 1 }),
  windowSeconds: intIn(60, 3600, "windowRange").default(120).meta({ description: "Samples of this many seconds are averaged.", example: 120 }),
};

function boundsCheck(v: { minSize: number; maxSize: number; desired?: number }, ctx: z.RefinementCtx) {
  if (v.minSize > v.maxSize) ctx.addIssue({ code: "custom", path: ["minSize"], message: fe("scaling", "minAboveMax") });
  if (v.desired !== undefined && (v.desired < v.minSize || v.desired > v.maxSize)) ctx.addIssue({ code: "custom", path: ["desired"], message: fe("scaling", "desiredOutside") });
}

export const createScalingGroupSchema = z
  .strictObject({
    projectId: id("projectRequired"),
    name: z
      .string({ error: fe("scaling", "nameRequired") })
      .trim()
      .min(1, fe("scaling", "nameRequired"))
      .max(40, fe("scaling", "nameTooLong"))
      .regex(/^[a-z][a-z0-9-]*$/, fe("scaling", "nameFormat"))
      .meta({ description: "Also the prefix of its machines' names (name-1, name-2, ...).", example: "web" }),
    offeringId: id("offeringRequired"),
    templateId: id("templateRequired"),
    placement: z.enum(["AUTO", "PRIVATE", "PROVIDER"], { error: fe("scaling", "placementInvalid") }).default("AUTO").meta({ description: "Where its machines may go, as for a request." }),
    providerId: id("providerRequired").optional().meta({ description: "With placement PROVIDER: the provider." }),
    desired: size().meta({ description: "Machines to start with.", example: 1 }),
    ...tuning,
  })
  .superRefine(boundsCheck);
export type CreateScalingGroupInput = z.infer<typeof createScalingGroupSchema>;

export const updateScalingGroupBase = z.strictObject({
  groupId: id("idInvalid"),
  ...tuning,
});
export const updateScalingGroupSchema = updateScalingGroupBase.superRefine(boundsCheck);
export type UpdateScalingGroupInput = z.infer<typeof updateScalingGroupSchema>;

export const scalingGroupIdSchema = z.strictObject({ groupId: z.uuid() });

export const deleteScalingGroupSchema = z.strictObject({
  groupId: id("idInvalid"),
  confirmName: z.string({ error: fe("scaling", "confirmName") }).meta({ description: "The group's exact name, as a guard." }),
});

export const listScalingGroupsSchema = z.strictObject({
  projectId: z.uuid().optional().meta({ description: "Only this project's groups." }),
});
