"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { createWebhookSchema, redeliverSchema, updateWebhookSchema, webhookIdSchema } from "@/lib/webhooks/schemas";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { updateWebhook } from "@/lib/webhooks/update-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { redeliverWebhook } from "@/lib/webhooks/redeliver-webhook";

export async function createWebhookAction(input: unknown) {
  const r = await runAction(createWebhookSchema, input, createWebhook);
  if (r.ok) revalidatePath("/webhooks");
  return r;
}

export async function updateWebhookAction(input: unknown) {
  const r = await runAction(updateWebhookSchema, input, updateWebhook);
  if (r.ok) revalidatePath("/webhooks", "layout");
  return r;
}

export async function deleteWebhookAction(input: unknown) {
  const r = await runAction(webhookIdSchema, input, deleteWebhook);
  if (r.ok) revalidatePath("/webhooks");
  return r;
}

export async function rotateWebhookSecretAction(input: unknown) {
  return runAction(webhookIdSchema, input, rotateWebhookSecret);
}

export async function redeliverWebhookAction(input: unknown) {
  return runAction(redeliverSchema, input, redeliverWebhook);
}
