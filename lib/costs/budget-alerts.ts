// Budget alerts: after each accrual run, every project with a monthly budget and thresholds is
// checked; a threshold crossed (month-to-date, or the forecast for the month, at or above its
// percentage of the budget) notifies the project's approvers (the administrators when it has
// none), once per threshold per month: the BudgetAlert row's unique key is claimed in the same
// transaction as the notifications.
import type { Db } from "../db/client";
import type { BudgetBasis } from "../generated/prisma/enums";
import { notify } from "../notifications/notify";
import { env } from "../env";
import { dateValue, localMonth } from "./calendar";
import { millicentsToCents } from "./pricing";
import { projectSpend } from "./spend";

export interface FiredAlert {
  projectId: string;
  month: string;
  percent: number;
  basis: BudgetBasis;
  amountCents: number;
  budgetCents: number;
  notified: number;
}

/** Whether `amountCents` reaches `percent` % of the budget (integer arithmetic). */
export const crosses = (amountCents: number, budgetCents: number, percent: number) => amountCents * 100 >= budgetCents * percent;

export async function checkBudgetAlerts(db: Db, opts: { now: Date; timeZone: string }): Promise<FiredAlert[]> {
  const projects = await db.project.findMany({
    where: { archived: false, monthlyBudgetCents: { gt: 0 }, budgetThresholds: { some: {} } },
    select: { id: true, name: true, monthlyBudgetCents: true, budgetThresholds: { orderBy: { percent: "asc" } } },
  });
  if (!projects.length) return [];
  const month = localMonth(opts.now, opts.timeZone);
  const spend = await projectSpend(db, { projectIds: projects.map((p) => p.id), month, timeZone: opts.timeZone, now: opts.now });
  const currency = env().ORQ_CURRENCY;
  const fired: FiredAlert[] = [];
  for (const p of projects) {
    const budget = p.monthlyBudgetCents!;
    const s = spend.byProject.get(p.id);
    if (!s) continue;
    const due = p.budgetThresholds
      .map((t) => ({ t, amount: millicentsToCents(t.basis === "ACTUAL" ? s.actual : s.forecast) }))
      .filter(({ t, amount }) => crosses(amount, budget, t.percent));
    if (!due.length) continue;
    const created = await db.$transaction(async (tx) => {
      const rows = await tx.budgetAlert.createManyAndReturn({
        data: due.map(({ t, amount }) => ({ projectId: p.id, month: dateValue(`${month}-01`), percent: t.percent, basis: t.basis, amountCents: amount, budgetCents: budget, firedAt: opts.now })),
        skipDuplicates: true,
      });
      if (!rows.length) return [];
      let recipients = (await tx.projectMember.findMany({ where: { projectId: p.id, role: "APPROVER", user: { disabled: false } }, select: { userId: true } })).map((m) => m.userId);
      if (!recipients.length) recipients = (await tx.user.findMany({ where: { role: "ADMIN", disabled: false }, select: { id: true } })).map((u) => u.id);
      for (const r of rows) {
        for (const userId of recipients) {
          await notify(
            tx,
            userId,
            "budget.threshold",
            { projectName: p.name, percent: r.percent, basis: r.basis, amountCents: r.amountCents, budgetCents: r.budgetCents, currency, month },
            `/costs?projectId=${p.id}&month=${month}`,
          );
        }
      }
      return rows.map((r) => ({ projectId: p.id, month, percent: r.percent, basis: r.basis, amountCents: r.amountCents, budgetCents: r.budgetCents, notified: recipients.length }));
    });
    fired.push(...created);
  }
  return fired;
}
