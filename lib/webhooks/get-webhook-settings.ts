import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { readSetting } from "../settings/settings";

/** The administrator's allow-list of private address ranges webhooks may reach. */
export async function getWebhookSettings(ctx: Ctx): Promise<{ allowedNetworks: string[] }> {
  assertCan(ctx.actor, "integration.manage");
  return { allowedNetworks: await readSetting(ctx.db, "webhooks.allowedNetworks") };
}
