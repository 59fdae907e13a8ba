"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { addSimFaultSchema, removeSimFaultSchema } from "@/lib/simulator/schemas";
import { addSimFault } from "@/lib/simulator/add-sim-fault";
import { removeSimFault } from "@/lib/simulator/remove-sim-fault";

export async function addSimFaultAction(input: unknown) {
  const r = await runAction(addSimFaultSchema, input, addSimFault);
  if (r.ok) revalidatePath("/admin/simulator");
  return r;
}

export async function removeSimFaultAction(input: unknown) {
  const r = await runAction(removeSimFaultSchema, input, removeSimFault);
  if (r.ok) revalidatePath("/admin/simulator");
  return r;
}
