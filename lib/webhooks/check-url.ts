// The subscription-time check of a target URL (the same policy runs again on every delivery).
import type { Db, Tx } from "../db/client";
import { validationError } from "../errors";
import { readSetting } from "../settings/settings";
import { AllowedNetworks, checkTarget, systemLookup, type LookupAll } from "./target-policy";

export async function allowedNetworks(db: Db | Tx): Promise<AllowedNetworks> {
  return new AllowedNetworks(await readSetting(db, "webhooks.allowedNetworks"));
}

/** Throws VALIDATION on the `url` field when the target is not acceptable. */
export async function assertAcceptableUrl(db: Db | Tx, url: string, lookup: LookupAll = systemLookup): Promise<void> {
  const v = await checkTarget(url, await allowedNetworks(db), lookup);
  if (v.ok) return;
  const key =
    v.problem === "refused"
      ? `webhooks.validation.refused.${v.category}`
      : v.problem === "unresolvable"
        ? "webhooks.validation.urlUnresolvable"
        : `webhooks.validation.url_${v.problem}`;
  throw validationError({ url: [key] }, v.problem === "refused" ? `${v.host} resolves to ${v.address}, a ${v.category} address` : "The URL is not acceptable");
}
