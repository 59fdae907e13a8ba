// Changes which private, loopback, shared or link-local address ranges webhooks may reach.
// Each entry must be a range (CIDR) or a single address; unspecified and multicast addresses
// stay refused whatever the list says.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { validationError } from "../errors";
import { recordAudit } from "../audit/record-audit";
import { readSetting, writeSetting } from "../settings/settings";
import { parseRange } from "./target-policy";
import type { WebhookSettingsInput } from "./schemas";

export async function updateWebhookSettings(ctx: Ctx, input: WebhookSettingsInput): Promise<{ allowedNetworks: string[] }> {
  assertCan(ctx.actor, "integration.manage");
  const bad = input.allowedNetworks.filter((r) => !parseRange(r));
  if (bad.length) throw validationError({ allowedNetworks: ["webhooks.validation.networkInvalid"] }, `Not an address range: ${bad.join(", ")}`);
  const ranges = [...new Set(input.allowedNetworks.map((r) => {
    const p = parseRange(r)!;
    return `${p.address}/${p.prefix}`;
  }))];
  return ctx.db.$transaction(async (tx) => {
    const before = await readSetting(tx, "webhooks.allowedNetworks");
    await writeSetting(tx, "webhooks.allowedNetworks", ranges, ctx.actor.id);
    await recordAudit(tx, ctx, { action: "webhook.settings_update", targetType: "Setting", targetId: "webhooks.allowedNetworks", before: { allowedNetworks: before }, after: { allowedNetworks: ranges } });
    return { allowedNetworks: ranges };
  });
}
