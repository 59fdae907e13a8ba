// Schemas of one's notification preferences (Settings -> Notifications and the API).
import { z } from "zod";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "./kinds";

const k = (key: string) => `settings.notifications.validation.${key}`;

export const updateNotificationPreferencesSchema = z.object({
  channels: z
    .partialRecord(z.enum(NOTIFICATION_KINDS, { error: k("kindInvalid") }), z.enum(NOTIFICATION_CHANNELS, { error: k("channelInvalid") }), { error: k("channelInvalid") })
    .meta({ description: "Kind of notification -> where it goes: IN_APP (the bell), EMAIL, BOTH or NONE. Kinds left out keep their current choice." }),
  emailDigest: z.boolean({ error: k("booleanRequired") }).meta({ description: "true: e-mails are collected into one message a day instead of sent one by one." }),
});
export type UpdateNotificationPreferencesInput = z.infer<typeof updateNotificationPreferencesSchema>;
