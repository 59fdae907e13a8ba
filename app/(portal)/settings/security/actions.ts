"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { signOut } from "@/lib/auth/auth";
import { changePasswordSchema, noInputSchema } from "@/lib/users/schemas";
import { changePassword } from "@/lib/users/change-password";
import { signOutEverywhere } from "@/lib/users/sign-out-everywhere";

export async function changePasswordAction(input: unknown) {
  const r = await runAction(changePasswordSchema, input, changePassword);
  if (r.ok) revalidatePath("/settings/security");
  return r;
}

export async function signOutEverywhereAction() {
  const r = await runAction(noInputSchema, {}, signOutEverywhere);
  // Every session is revoked already; this clears this browser's cookie and leaves.
  if (r.ok) await signOut({ redirectTo: "/login" });
  return r;
}
