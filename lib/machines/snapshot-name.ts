// Snapshot names become provider object names: DNS-label rules keep them valid everywhere.
export const SNAPSHOT_NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
