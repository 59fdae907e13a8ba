"use server";
import { runAction } from "@/lib/actions/run-action";
import { addPriceVersionSchema, createPriceBookSchema, importPriceListSchema } from "@/lib/costs/schemas";
import { createPriceBook } from "@/lib/costs/create-price-book";
import { addPriceVersion } from "@/lib/costs/add-price-version";
import { importPriceList } from "@/lib/costs/import-price-list";

export async function createPriceBookAction(input: unknown) {
  return runAction(createPriceBookSchema, input, createPriceBook);
}
export async function addPriceVersionAction(input: unknown) {
  return runAction(addPriceVersionSchema, input, addPriceVersion);
}
export async function importPriceListAction(input: unknown) {
  return runAction(importPriceListSchema, input, importPriceList);
}
