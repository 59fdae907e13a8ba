"use server";
import { runAction } from "@/lib/actions/run-action";
import { markAllNotificationsReadSchema, markNotificationReadSchema } from "@/lib/notifications/schemas";
import { markNotificationRead } from "@/lib/notifications/mark-notification-read";
import { markAllNotificationsRead } from "@/lib/notifications/mark-all-notifications-read";

export async function markNotificationReadAction(input: unknown) {
  return runAction(markNotificationReadSchema, input, markNotificationRead);
}
export async function markAllNotificationsReadAction() {
  return runAction(markAllNotificationsReadSchema, {}, markAllNotificationsRead);
}
