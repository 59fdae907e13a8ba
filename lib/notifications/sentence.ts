// A notification as one sentence in the reader's language, from its kind and params: the
// same words in the bell (components/notifications/notification-bell.tsx) and in e-mails
// (lib/email/render.ts). Pure: takes translators and a date formatter from either side.
import { isNotificationKind, kindKey } from "./kinds";

type Translate = (key: string, values?: Record<string, string | number>) => string;

const OPERATION_KINDS = ["PROVISION", "START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "DELETE", "CLEANUP", "MIGRATE", "HA_RESTART", "BACKUP", "RESTORE"];

const ALERT_METRICS = ["CPU_PERCENT", "MEMORY_PERCENT", "DISK_BYTES_PER_SECOND", "NETWORK_BYTES_PER_SECOND"];

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));

/** The values every notification message may use, already in the reader's language. */
export function notificationValues(
  params: Record<string, unknown>,
  tr: { notifications: Translate; machines: Translate; date: (d: Date) => string; money: (cents: number, currency: string) => string },
): Record<string, string> {
  const money = (cents: unknown, currency: unknown) => (typeof cents === "number" && typeof currency === "string" ? tr.money(cents, currency) : str(cents));
  const date = (v: unknown) => (v && !Number.isNaN(Date.parse(String(v))) ? tr.date(new Date(String(v))) : str(v));
  const op = str(params.operation);
  return {
    machineName: str(params.machineName) || tr.notifications("unknownMachine"),
    requestNumber: str(params.requestNumber) || "?",
    reason: str(params.reason) || tr.notifications("noReason"),
    error: str(params.error),
    operation: OPERATION_KINDS.includes(op) ? tr.machines(`kinds.${op}`) : op,
    endsAt: date(params.endsAt ?? params.leaseEndsAt),
    decision: str(params.decision),
    deleteAt: date(params.deleteAt),
    projectName: str(params.projectName),
    requesterName: str(params.requesterName),
    quantity: str(params.quantity) || "1",
    basis: str(params.basis),
    month: str(params.month),
    percent: str(params.percent),
    amount: money(params.amountCents, params.currency),
    budget: money(params.budgetCents, params.currency),
    startsAt: date(params.startsAt),
    where: str(params.where),
    machines: str(params.machines),
    count: str(params.count),
    hostName: str(params.hostName),
    movedLive: str(params.movedLive),
    movedCold: str(params.movedCold),
    ruleName: str(params.ruleName),
    metric: ALERT_METRICS.includes(str(params.metric)) ? tr.notifications(`alertMetrics.${str(params.metric)}`) : str(params.metric),
    comparator: str(params.comparator),
    threshold: str(params.threshold),
    value: str(params.value),
    stackName: str(params.stackName),
    failures: str(params.failures),
    authorName: str(params.authorName),
    excerpt: str(params.excerpt),
    fromName: str(params.fromName),
  };
}

export function notificationSentence(
  kind: string,
  params: Record<string, unknown>,
  tr: { notifications: Translate; machines: Translate; date: (d: Date) => string; money: (cents: number, currency: string) => string },
): string {
  if (!isNotificationKind(kind)) return tr.notifications("kinds.other");
  return tr.notifications(`kinds.${kindKey(kind)}`, notificationValues(params, tr));
}
