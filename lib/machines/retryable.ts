// Which failed operations offer Retry (pure: the machine page reads it too). The system's own
// kinds (provision, cleanup, migrate, HA restart, backup, restore) are retried by the worker
// or by the flows that queue them, not by users.
import type { OperationKind } from "../generated/prisma/enums";

export const RETRYABLE_KINDS = ["START", "STOP", "REBOOT", "RESIZE", "SNAPSHOT_CREATE", "SNAPSHOT_REVERT", "SNAPSHOT_DELETE", "DELETE"] as const satisfies readonly OperationKind[];
export type RetryableKind = (typeof RETRYABLE_KINDS)[number];

export const isRetryable = (kind: OperationKind): kind is RetryableKind => (RETRYABLE_KINDS as readonly OperationKind[]).includes(kind);
