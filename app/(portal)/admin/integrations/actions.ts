"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { webhookSettingsSchema } from "@/lib/webhooks/schemas";
import { updateWebhookSettings } from "@/lib/webhooks/update-webhook-settings";
import { sendTestEmail } from "@/lib/email/send-test-email";
import { noInputSchema } from "@/lib/users/schemas";

export async function updateWebhookSettingsAction(input: unknown) {
  const r = await runAction(webhookSettingsSchema, input, updateWebhookSettings);
  if (r.ok) revalidatePath("/admin/integrations");
  return r;
}

export async function sendTestEmailAction() {
  const r = await runAction(noInputSchema, {}, sendTestEmail);
  if (r.ok) revalidatePath("/admin/integrations");
  return r;
}
