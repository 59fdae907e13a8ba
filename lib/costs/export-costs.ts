// The cost export (CSV) of a month: one line per day, project, provider, offering and owner,
// with exact amounts (to a thousandth of a cent) in ORQ_CURRENCY. Same scope and permissions
// as the Costs page.
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { costTimeZone, daysOf, localMonth } from "./calendar";
import { csvLine, millicentsToDecimal } from "./csv";
import { costScope, labelsFor } from "./get-costs";
import { ledgerSums } from "./ledger-query";
import type { CostsQuery } from "./schemas";

export const COST_CSV_HEADER = ["date", "project", "provider", "provider_kind", "offering", "owner", "owner_email", "powered_hours", "compute", "storage", "total", "currency"] as const;

export interface CostExport {
  fileName: string;
  csv: string;
  lines: number;
}

export async function exportCosts(ctx: Ctx, input: Pick<CostsQuery, "projectId" | "month">): Promise<CostExport> {
  const timeZone = costTimeZone();
  const month = input.month ?? localMonth(ctx.now(), timeZone);
  const { project, projectIds } = await costScope(ctx, input.projectId);
  const days = daysOf(month);
  const rows = await ledgerSums(ctx.db, {
    fromDay: days[0],
    toDay: days[days.length - 1],
    projectIds,
    timeZone,
    by: ["day", "projectId", "providerId", "offeringId", "ownerId"],
  });
  const [projects, providers, offerings, owners] = await Promise.all([
    labelsFor(ctx, "project", [...new Set(rows.map((r) => r.keys.projectId!))]),
    labelsFor(ctx, "provider", [...new Set(rows.map((r) => r.keys.providerId!))]),
    labelsFor(ctx, "offering", [...new Set(rows.map((r) => r.keys.offeringId!))]),
    labelsFor(ctx, "owner", [...new Set(rows.map((r) => r.keys.ownerId!))]),
  ]);
  const currency = env().ORQ_CURRENCY;
  const lines = rows
    .map((r) => {
      const k = r.keys;
      const owner = owners.get(k.ownerId!);
      return [
        k.day!,
        projects.get(k.projectId!)?.label ?? k.projectId!,
        providers.get(k.providerId!)?.label ?? k.providerId!,
        providers.get(k.providerId!)?.kind ?? "",
        offerings.get(k.offeringId!)?.label ?? k.offeringId!,
        owner?.label ?? k.ownerId!,
        owner?.detail ?? "",
        (r.poweredSeconds / 3600).toFixed(2),
        millicentsToDecimal(r.compute),
        millicentsToDecimal(r.storage),
        millicentsToDecimal(r.compute + r.storage),
        currency,
      ] as const;
    })
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]) || a[4].localeCompare(b[4]) || a[5].localeCompare(b[5]));
  const slug = project ? project.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "project" : "all-projects";
  return {
    fileName: `orquestra-costs-${slug}-${month}.csv`,
    csv: [csvLine(COST_CSV_HEADER), ...lines.map((l) => csvLine(l))].join("\r\n") + "\r\n",
    lines: lines.length,
  };
}
