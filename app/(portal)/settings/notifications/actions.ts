"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { updateNotificationPreferencesSchema } from "@/lib/notifications/preferences";
import { updateNotificationPreferences } from "@/lib/notifications/update-notification-preferences";

export async function updateNotificationPreferencesAction(input: unknown) {
  const r = await runAction(updateNotificationPreferencesSchema, input, updateNotificationPreferences);
  if (r.ok) revalidatePath("/settings/notifications");
  return r;
}
