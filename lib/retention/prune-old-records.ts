// Retention (issue 9): operations, notifications and audit events older than a configurable age
// are removed by a periodic worker task, so those tables do not grow without bound. Audit
// events are first appended to a JSON Lines file (one per run day) and the file is flushed to
// disk before their rows are deleted: an audit trail is archived, never just dropped.
// Works in batches (bounded memory and short transactions on tables of millions of rows).
// Also gone (issue 16): API tokens revoked or expired more than `tokenDays` ago (the list shows
// them as REVOKED/EXPIRED meanwhile) and simulator faults that are spent (remaining 0).
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/client";

export const RETENTION_TASK = "orq-retention";

export interface RetentionConfig {
  /** Records older than this many days go; 0 switches retention off. */
  days: number;
  /** Folder of the audit archive files (audit-<date>.jsonl). */
  archiveDir: string;
  batch?: number;
  /** Revoked or expired API tokens go this many days after (default 30). */
  tokenDays?: number;
}

/**
 * ORQ_RETENTION_DAYS (default 365, 0: off), ORQ_AUDIT_ARCHIVE_DIR (default .data/audit-archive)
 * and ORQ_TOKEN_RETENTION_DAYS (default 30).
 */
export function retentionConfig(env: Record<string, string | undefined> = process.env): RetentionConfig {
  const n = Number(env.ORQ_RETENTION_DAYS ?? 365);
  const tk = Number(env.ORQ_TOKEN_RETENTION_DAYS ?? 30);
  return {
    days: Number.isInteger(n) && n >= 0 ? n : 365,
    tokenDays: Number.isInteger(tk) && tk >= 1 ? tk : 30,
    archiveDir: path.resolve(env.ORQ_AUDIT_ARCHIVE_DIR ?? path.join(env.ORQ_DATA_DIR ?? ".data", "audit-archive")),
  };
}

export interface RetentionResult {
  cutoff: string | null;
  auditArchived: number;
  auditFile: string | null;
  operations: number;
  notifications: number;
  apiTokens: number;
  simFaults: number;
}

const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

export async function pruneOldRecords(db: Db, now: Date, cfg: RetentionConfig): Promise<RetentionResult> {
  if (cfg.days <= 0) return { cutoff: null, auditArchived: 0, auditFile: null, operations: 0, notifications: 0, apiTokens: 0, simFaults: 0 };
  const batch = cfg.batch ?? 5000;
  const cutoff = new Date(now.getTime() - cfg.days * 86_400_000);

  // Audit: export, flush, then delete exactly the exported ids.
  let auditArchived = 0;
  let auditFile: string | null = null;
  for (;;) {
    const rows = await db.auditEvent.findMany({ where: { at: { lt: cutoff } }, orderBy: { id: "asc" }, take: batch });
    if (rows.length === 0) break;
    if (!auditFile) {
      fs.mkdirSync(cfg.archiveDir, { recursive: true, mode: 0o700 });
      auditFile = path.join(cfg.archiveDir, `audit-${now.toISOString().slice(0, 10)}.jsonl`);
    }
    const text = rows.map((r) => JSON.stringify({ ...r, id: r.id.toString(), at: r.at.toISOString() })).join("\n") + "\n";
    const fd = fs.openSync(auditFile, "a", 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The append-only trigger lets a DELETE through only in a transaction that says the rows
    // were archived (migration scale_list_indexes).
    await db.$transaction([
      db.$executeRaw`select set_config('orq.audit_retention', 'archived', true)`,
      db.auditEvent.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } }),
    ]);
    auditArchived += rows.length;
    if (rows.length < batch) break;
  }

  // Finished operations (queued and running ones stay, whatever their age).
  let operations = 0;
  for (;;) {
    const ids = await db.operation.findMany({ where: { status: { in: [...FINISHED] }, createdAt: { lt: cutoff } }, select: { id: true }, take: batch });
    if (ids.length === 0) break;
    operations += (await db.operation.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } })).count;
    if (ids.length < batch) break;
  }

  let notifications = 0;
  for (;;) {
    const ids = await db.notification.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true }, take: batch });
    if (ids.length === 0) break;
    notifications += (await db.notification.deleteMany({ where: { id: { in: ids.map((r) => r.id) } } })).count;
    if (ids.length < batch) break;
  }

  // API tokens that cannot authenticate any more, some time after they stopped (revoked or
  // expired): the owner saw them in the list as REVOKED/EXPIRED meanwhile.
  const tokenCutoff = new Date(now.getTime() - (cfg.tokenDays ?? 30) * 86_400_000);
  const apiTokens = (
    await db.apiToken.deleteMany({ where: { OR: [{ revokedAt: { lt: tokenCutoff } }, { expiresAt: { lt: tokenCutoff } }] } })
  ).count;

  // Simulator faults whose count is spent never act again (null = always: they stay).
  const simFaults = (await db.simFault.deleteMany({ where: { remaining: { lte: 0 } } })).count;

  return { cutoff: cutoff.toISOString(), auditArchived, auditFile, operations, notifications, apiTokens, simFaults };
}
