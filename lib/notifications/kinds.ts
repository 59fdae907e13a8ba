// The kinds of personal notifications, each with the channels a user may choose for it
// (Settings -> Notifications). Pure: the bell and the settings form read it in the browser.
export const NOTIFICATION_KINDS = [
  "request.awaiting_approval",
  "request.approved",
  "request.rejected",
  "machine.ready",
  "operation.failed",
  "lease.expiring",
  "lease.expired",
  "lease.extension.decided",
  "maintenance.scheduled",
  "machine.coldMove",
  "host.drained",
  "host.failed",
  "machine.haRestarted",
  "backup.failed",
  "budget.threshold",
  "alert.firing",
  "alert.resolved",
  "stack.healingPaused",
  "request.commented",
  "machine.transferred",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_CHANNELS = ["IN_APP", "EMAIL", "BOTH", "NONE"] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Without a choice of their own, users get every kind in the portal and by e-mail. */
export const DEFAULT_CHANNEL: NotificationChannel = "BOTH";

export const isNotificationKind = (v: unknown): v is NotificationKind => typeof v === "string" && (NOTIFICATION_KINDS as readonly string[]).includes(v);

export const wantsInApp = (c: NotificationChannel) => c === "IN_APP" || c === "BOTH";
export const wantsEmail = (c: NotificationChannel) => c === "EMAIL" || c === "BOTH";

/** Message key part of a kind: "lease.extension.decided" -> "lease_extension_decided". */
export const kindKey = (kind: string) => kind.replace(/\./g, "_");
