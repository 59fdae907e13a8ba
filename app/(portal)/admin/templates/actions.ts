"use server";
import { runAction } from "@/lib/actions/run-action";
import {
  createTemplateSchema,
  setTemplateActiveSchema,
  setTemplateProviderRefsSchema,
  templateIdSchema,
  updateTemplateSchema,
} from "@/lib/templates/schemas";
import { createTemplate } from "@/lib/templates/create-template";
import { updateTemplate } from "@/lib/templates/update-template";
import { setTemplateActive } from "@/lib/templates/set-template-active";
import { deleteTemplate } from "@/lib/templates/delete-template";
import { setTemplateProviderRefs } from "@/lib/templates/set-template-provider-refs";

export async function createTemplateAction(input: unknown) {
  return runAction(createTemplateSchema, input, createTemplate);
}
export async function updateTemplateAction(input: unknown) {
  return runAction(updateTemplateSchema, input, updateTemplate);
}
export async function setTemplateActiveAction(input: unknown) {
  return runAction(setTemplateActiveSchema, input, setTemplateActive);
}
export async function deleteTemplateAction(input: unknown) {
  return runAction(templateIdSchema, input, deleteTemplate);
}
export async function setTemplateProviderRefsAction(input: unknown) {
  return runAction(setTemplateProviderRefsSchema, input, setTemplateProviderRefs);
}
