// Names of the backup jobs (the worker registers them in lib/orchestration/worker.ts).
export const BACKUP_PRUNE_TASK = "orq-backup-prune";
