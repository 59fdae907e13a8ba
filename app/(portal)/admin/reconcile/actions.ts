"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { runCountersReconcileSchema } from "@/lib/reconcile/schemas";
import { runCountersReconcile } from "@/lib/reconcile/run-counters-reconcile";
import { providerIdSchema } from "@/lib/providers/schemas";
import { syncProviderNow } from "@/lib/providers/sync-provider-now";

export async function runCountersReconcileAction(input: unknown) {
  const r = await runAction(runCountersReconcileSchema, input, runCountersReconcile);
  if (r.ok) revalidatePath("/admin/reconcile");
  return r.ok ? { ok: true as const, data: { drift: r.data.drift.length, repaired: r.data.repaired } } : r;
}

export async function reconcileProviderAction(input: unknown) {
  const r = await runAction(providerIdSchema, input, syncProviderNow);
  if (r.ok) revalidatePath("/admin/reconcile");
  return r.ok ? { ok: true as const, data: r.data.ok ? { findings: r.data.reconcile.length } : { failed: r.data.message } } : r;
}
