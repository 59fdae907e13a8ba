// The placement recorded on a provision (Operation.result.placement, written by the engine with
// the reason of the project's policy), as the machine page shows it.
export interface PlacementView {
  policy: string;
  providerName: string;
  /** Millicents per month on the chosen provider (null: unpriced). */
  monthly: number | null;
  /** Cheaper (preferred) providers that had no room. */
  skipped: string[];
  currency: string | null;
}

export function placementOf(result: unknown): PlacementView | null {
  const p = result && typeof result === "object" ? (result as { placement?: unknown }).placement : null;
  if (!p || typeof p !== "object") return null;
  const r = p as { policy?: unknown; providerName?: unknown; monthly?: unknown; skipped?: unknown; currency?: unknown };
  if (typeof r.policy !== "string" || typeof r.providerName !== "string") return null;
  return {
    policy: r.policy,
    providerName: r.providerName,
    monthly: typeof r.monthly === "number" ? r.monthly : null,
    currency: typeof r.currency === "string" ? r.currency : null,
    skipped: Array.isArray(r.skipped) ? r.skipped.map((s) => (s && typeof s === "object" && typeof (s as { name?: unknown }).name === "string" ? (s as { name: string }).name : "")).filter(Boolean) : [],
  };
}
