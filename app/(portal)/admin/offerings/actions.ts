"use server";
import { runAction } from "@/lib/actions/run-action";
import { createOfferingSchema, offeringIdSchema, setOfferingActiveSchema, updateOfferingSchema } from "@/lib/offerings/schemas";
import { createOffering } from "@/lib/offerings/create-offering";
import { updateOffering } from "@/lib/offerings/update-offering";
import { setOfferingActive } from "@/lib/offerings/set-offering-active";
import { deleteOffering } from "@/lib/offerings/delete-offering";

export async function createOfferingAction(input: unknown) {
  return runAction(createOfferingSchema, input, createOffering);
}
export async function updateOfferingAction(input: unknown) {
  return runAction(updateOfferingSchema, input, updateOffering);
}
export async function setOfferingActiveAction(input: unknown) {
  return runAction(setOfferingActiveSchema, input, setOfferingActive);
}
export async function deleteOfferingAction(input: unknown) {
  return runAction(offeringIdSchema, input, deleteOffering);
}
