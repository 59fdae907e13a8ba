"use server";
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions/run-action";
import {
  addGroupMemberSchema,
  createGroupSchema,
  groupIdSchema,
  removeGroupMemberSchema,
  removeGroupProjectRoleSchema,
  setGroupProjectRoleSchema,
  updateGroupSchema,
} from "@/lib/groups/schemas";
import { createGroup } from "@/lib/groups/create-group";
import { updateGroup } from "@/lib/groups/update-group";
import { deleteGroup } from "@/lib/groups/delete-group";
import { addGroupMember, removeGroupMember } from "@/lib/groups/group-members";
import { removeGroupProjectRole, setGroupProjectRole } from "@/lib/groups/group-project-roles";

export async function createGroupAction(input: unknown) {
  const r = await runAction(createGroupSchema, input, createGroup);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function updateGroupAction(input: unknown) {
  const r = await runAction(updateGroupSchema, input, updateGroup);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function deleteGroupAction(input: unknown) {
  const r = await runAction(groupIdSchema, input, deleteGroup);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function addGroupMemberAction(input: unknown) {
  const r = await runAction(addGroupMemberSchema, input, addGroupMember);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function removeGroupMemberAction(input: unknown) {
  const r = await runAction(removeGroupMemberSchema, input, removeGroupMember);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function setGroupProjectRoleAction(input: unknown) {
  const r = await runAction(setGroupProjectRoleSchema, input, setGroupProjectRole);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
export async function removeGroupProjectRoleAction(input: unknown) {
  const r = await runAction(removeGroupProjectRoleSchema, input, removeGroupProjectRole);
  if (r.ok) revalidatePath("/admin/groups");
  return r;
}
