// In-app notifications (the bell). Written in the caller's transaction, so a notification
// exists exactly when the change it reports was committed.
import type { Prisma, Tx } from "../db/client";

export type NotificationKind =
  | "request.approved"
  | "request.rejected"
  | "machine.ready"
  | "operation.failed"
  | "lease.expiring"
  | "lease.expired"
  | "lease.extension.decided"
  | "budget.threshold"
  | "maintenance.scheduled"
  | "machine.coldMove"
  | "host.drained"
  | "host.failed"
  | "machine.haRestarted"
  | "backup.failed";

export async function notify(
  tx: Tx,
  userId: string,
  kind: NotificationKind,
  params: Record<string, string | number | null> = {},
  link?: string,
): Promise<void> {
  await tx.notification.create({ data: { userId, kind, params: params as Prisma.InputJsonValue, link: link ?? null } });
}
