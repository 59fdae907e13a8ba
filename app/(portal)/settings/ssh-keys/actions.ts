"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import { addSshKeySchema, deleteSshKeySchema } from "@/lib/access/schemas";
import { addSshKey } from "@/lib/access/add-ssh-key";
import { deleteSshKey } from "@/lib/access/delete-ssh-key";

export async function addSshKeyAction(input: unknown) {
  const r = await runAction(addSshKeySchema, input, addSshKey);
  if (r.ok) revalidatePath("/settings/ssh-keys");
  return r;
}

export async function deleteSshKeyAction(input: unknown) {
  const r = await runAction(deleteSshKeySchema, input, deleteSshKey);
  if (r.ok) revalidatePath("/settings/ssh-keys");
  return r;
}
