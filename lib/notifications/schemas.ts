import { z } from "zod";

export const listNotificationsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).catch(15).default(15),
  unreadOnly: z.preprocess((v) => v === true || v === "true" || v === "1", z.boolean()).default(false),
});
export type ListNotificationsInput = z.infer<typeof listNotificationsSchema>;

export const markNotificationReadSchema = z.object({ notificationId: z.uuid("Not a valid id") });
export const markAllNotificationsReadSchema = z.object({});
