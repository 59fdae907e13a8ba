"use server";
import { runAction } from "@/lib/actions/run-action";
import {
  addMemberSchema,
  changeMemberRoleSchema,
  createProjectSchema,
  projectIdSchema,
  removeMemberSchema,
  setProjectArchivedSchema,
  setProjectProvidersSchema,
  updateProjectSchema,
} from "@/lib/projects/schemas";
import { setProjectProviders } from "@/lib/projects/set-project-providers";
import { createProject } from "@/lib/projects/create-project";
import { updateProject } from "@/lib/projects/update-project";
import { setProjectArchived } from "@/lib/projects/set-project-archived";
import { deleteProject } from "@/lib/projects/delete-project";
import { addProjectMember } from "@/lib/projects/add-project-member";
import { changeMemberRole } from "@/lib/projects/change-member-role";
import { removeProjectMember } from "@/lib/projects/remove-project-member";

export async function createProjectAction(input: unknown) {
  return runAction(createProjectSchema, input, createProject);
}
export async function updateProjectAction(input: unknown) {
  return runAction(updateProjectSchema, input, updateProject);
}
export async function setProjectArchivedAction(input: unknown) {
  return runAction(setProjectArchivedSchema, input, setProjectArchived);
}
export async function deleteProjectAction(input: unknown) {
  return runAction(projectIdSchema, input, deleteProject);
}
export async function addProjectMemberAction(input: unknown) {
  return runAction(addMemberSchema, input, addProjectMember);
}
export async function changeMemberRoleAction(input: unknown) {
  return runAction(changeMemberRoleSchema, input, changeMemberRole);
}
export async function removeProjectMemberAction(input: unknown) {
  return runAction(removeMemberSchema, input, removeProjectMember);
}
export async function setProjectProvidersAction(input: unknown) {
  return runAction(setProjectProvidersSchema, input, setProjectProviders);
}
