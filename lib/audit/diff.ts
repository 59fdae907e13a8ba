// Side-by-side view of an audit event's before/after JSON: which top-level keys changed.
export interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  inBefore: boolean;
  inAfter: boolean;
  changed: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Stable JSON (object keys sorted) so key order never counts as a change. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    isRecord(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  );
}

/**
 * Rows for every top-level key of before and after (before's order, then keys only in
 * after). A key is changed when added, removed, or its value differs. Non-object values
 * (or none) are shown as a single row keyed "".
 */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = before ?? undefined;
  const a = after ?? undefined;
  if ((b !== undefined && !isRecord(b)) || (a !== undefined && !isRecord(a))) {
    return [{ key: "", before: b, after: a, inBefore: b !== undefined, inAfter: a !== undefined, changed: stableJson(b) !== stableJson(a) }];
  }
  const bo = (b ?? {}) as Record<string, unknown>;
  const ao = (a ?? {}) as Record<string, unknown>;
  const keys = [...Object.keys(bo), ...Object.keys(ao).filter((k) => !(k in bo))];
  return keys.map((key) => {
    const inBefore = key in bo;
    const inAfter = key in ao;
    return {
      key,
      before: bo[key],
      after: ao[key],
      inBefore,
      inAfter,
      changed: inBefore !== inAfter || stableJson(bo[key]) !== stableJson(ao[key]),
    };
  });
}
