"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { revokeUserAccessSchema, setUserDisabledSchema, userIdSchema } from "@/lib/users/schemas";
import { setUserDisabled } from "@/lib/users/set-user-disabled";
import { revokeUserAccess } from "@/lib/users/revoke-user-access";
import { deleteUser } from "@/lib/users/delete-user";

export async function setUserDisabledAction(input: unknown) {
  const r = await runAction(setUserDisabledSchema, input, setUserDisabled);
  if (r.ok) revalidatePath("/admin/users");
  return r;
}
export async function revokeUserAccessAction(input: unknown) {
  const r = await runAction(revokeUserAccessSchema, input, revokeUserAccess);
  if (r.ok) revalidatePath("/admin/users");
  return r;
}
export async function deleteUserAction(input: unknown) {
  const r = await runAction(userIdSchema, input, deleteUser);
  if (r.ok) revalidatePath("/admin/users");
  return r;
}
