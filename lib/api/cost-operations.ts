// The cost operations of /api/v1 (price comparison, showback, CSV export, price books, project
// cost settings), declared like lib/api/operations.ts and appended to its API_OPERATIONS.
import "server-only";
import { z } from "zod";
import { compareProviders } from "../costs/compare-providers";
import { getCosts } from "../costs/get-costs";
import { exportCosts } from "../costs/export-costs";
import { listPriceBooks } from "../costs/list-price-books";
import { getPriceBook } from "../costs/get-price-book";
import { createPriceBook } from "../costs/create-price-book";
import { addPriceVersion } from "../costs/add-price-version";
import { importPriceList } from "../costs/import-price-list";
import { getProjectCostSettings, updateProjectCostSettings } from "../costs/project-cost-settings";
import { requestCostRun } from "../costs/request-cost-run";
import {
  addPriceVersionSchema,
  compareProvidersSchema,
  costsQuerySchema,
  createPriceBookSchema,
  importPriceListSchema,
  priceBookIdSchema,
  projectCostSettingsFields,
  projectCostSettingsSchema,
  projectIdOnlySchema,
} from "../costs/schemas";
import { defineOperation } from "./operation";
import * as R from "./cost-responses";

const TAG = "Costs";

export const comparePricesOp = defineOperation({
  operationId: "comparePrices",
  method: "GET",
  path: "/price-comparison",
  tag: TAG,
  summary: "Compare what machines of an offering cost on every provider",
  description:
    "The monthly cost (730 hours) on every provider that offers the template, cheapest first, from the price books in force, with whether each has room for all the machines now. With `projectId`: which provider the project's placement policy would pick (`recommended`) and which the requester may pick (`selectable`, then pass it as `providerId` when submitting the request).",
  query: compareProvidersSchema,
  input: compareProvidersSchema,
  verb: compareProviders,
  response: R.priceComparison,
  messages: "costs.errors",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

export const getCostsOp = defineOperation({
  operationId: "getCosts",
  method: "GET",
  path: "/costs",
  tag: TAG,
  summary: "Costs of a month: total, forecast, daily curve, trend and breakdown",
  description:
    "Showback of one project or of every project you can see: what the machines cost (accrued by the hour from what they reserve and the price books in force; stopped machines cost their storage only), the forecast for the current month, twelve months of trend and the month broken down by project, provider, offering or owner.",
  query: costsQuerySchema,
  input: costsQuerySchema,
  verb: getCosts,
  response: R.costReport,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const exportCostsOp = defineOperation({
  operationId: "exportCosts",
  method: "GET",
  path: "/costs/export",
  tag: TAG,
  summary: "Export a month's costs as CSV",
  description: "One line per day, project, provider, offering and owner; amounts in currency units, exact to a thousandth of a cent.",
  query: costsQuerySchema.pick({ projectId: true, month: true }),
  input: costsQuerySchema.pick({ projectId: true, month: true }),
  verb: exportCosts,
  present: (r) => ({ fileName: r.fileName, body: r.csv }),
  produces: "text/csv",
  response: R.costCsv,
  errors: ["VALIDATION", "NOT_FOUND"],
});

export const requestCostRunOp = defineOperation({
  operationId: "requestCostRun",
  method: "POST",
  path: "/costs/run",
  tag: TAG,
  summary: "Bring the cost ledger up to date now (administrators)",
  description: "Queues the accrual, the daily rollup and the budget alert check, which otherwise run every few minutes.",
  input: z.object({}),
  verb: requestCostRun,
  status: 202,
  response: R.costRunQueued,
  errors: ["FORBIDDEN"],
});

export const listPriceBooksOp = defineOperation({
  operationId: "listPriceBooks",
  method: "GET",
  path: "/price-books",
  tag: TAG,
  summary: "List price books (administrators)",
  description: "Every provider with the book that prices it (its own, or its kind's default) and the version in force; every provider kind with its default book.",
  input: z.object({}),
  verb: (ctx) => listPriceBooks(ctx),
  response: R.priceBookList,
  errors: ["FORBIDDEN"],
});

export const createPriceBookOp = defineOperation({
  operationId: "createPriceBook",
  method: "POST",
  path: "/price-books",
  tag: TAG,
  summary: "Create a price book for a provider or a provider kind (administrators)",
  body: createPriceBookSchema,
  input: createPriceBookSchema,
  verb: createPriceBook,
  status: 201,
  response: R.priceBookRef,
  messages: "costs.errors",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

export const getPriceBookOp = defineOperation({
  operationId: "getPriceBook",
  method: "GET",
  path: "/price-books/{priceBookId}",
  tag: TAG,
  summary: "Get a price book with its versions (administrators)",
  pathParams: { priceBookId: "The price book's id." },
  input: priceBookIdSchema,
  verb: getPriceBook,
  response: R.priceBookDetail,
  errors: ["FORBIDDEN"],
});

export const addPriceVersionOp = defineOperation({
  operationId: "addPriceVersion",
  method: "POST",
  path: "/price-books/{priceBookId}/versions",
  tag: TAG,
  summary: "Add a price version, in force from its effective date (administrators)",
  description:
    "Items: a cost model (VCPU, MEMORY_GIB, SSD_GB, HDD_GB, MACHINE) and/or instance types (INSTANCE with name, vcpu, memoryGib), each with `unit` HOUR or MONTH and `amount` in currency units (up to 5 decimals). The effective date is now (empty) or later: costs already accrued never change.",
  pathParams: { priceBookId: "The price book's id." },
  body: addPriceVersionSchema.omit({ priceBookId: true }),
  input: addPriceVersionSchema,
  verb: addPriceVersion,
  status: 201,
  response: R.priceVersionRef,
  messages: "costs.errors",
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const importPriceListOp = defineOperation({
  operationId: "importPriceList",
  method: "POST",
  path: "/price-books/{priceBookId}/import",
  tag: TAG,
  summary: "Import a price list from a CSV or JSON file's content (administrators)",
  description:
    "CSV with a header `kind,name,vcpu,memory_gib,unit,amount[,currency]`, or JSON `{ \"currency\", \"items\": [{ \"kind\", \"name\", \"vcpu\", \"memoryGib\", \"unit\", \"amount\" }] }`. Kinds: vcpu, memory_gib, ssd_gb, hdd_gb, machine, instance; units: hour, month. Added as a new version.",
  pathParams: { priceBookId: "The price book's id." },
  body: importPriceListSchema.omit({ priceBookId: true }),
  input: importPriceListSchema,
  verb: importPriceList,
  status: 201,
  response: R.priceVersionRef,
  messages: "costs.errors",
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const getProjectCostSettingsOp = defineOperation({
  operationId: "getProjectCostSettings",
  method: "GET",
  path: "/projects/{projectId}/cost-settings",
  tag: TAG,
  summary: "A project's placement policy and budget alert thresholds (administrators)",
  pathParams: { projectId: "The project's id." },
  input: projectIdOnlySchema,
  verb: getProjectCostSettings,
  response: R.projectCostSettings,
  errors: ["FORBIDDEN"],
});

export const updateProjectCostSettingsOp = defineOperation({
  operationId: "updateProjectCostSettings",
  method: "POST",
  path: "/projects/{projectId}/cost-settings",
  tag: TAG,
  summary: "Set a project's placement policy and budget alert thresholds (administrators)",
  description:
    "placementPolicy: PRIVATE_FIRST, CHEAPEST, SPREAD or PACK: how the portal orders the project's allowed providers (after its default provider) when a request does not target one. providerChoice lets members who are not approvers target one provider (placement PROVIDER). thresholds: percentages of the monthly budget, on the month-to-date cost (ACTUAL) or the forecast (FORECAST); each notifies the approvers once a month.",
  pathParams: { projectId: "The project's id." },
  body: projectCostSettingsFields.omit({ projectId: true }),
  input: projectCostSettingsSchema,
  verb: updateProjectCostSettings,
  response: R.projectCostSettingsSaved,
  messages: "costs.errors",
  errors: ["VALIDATION", "FORBIDDEN"],
});

export const COST_API_OPERATIONS = [
  comparePricesOp,
  getCostsOp,
  exportCostsOp,
  requestCostRunOp,
  listPriceBooksOp,
  createPriceBookOp,
  getPriceBookOp,
  addPriceVersionOp,
  importPriceListOp,
  getProjectCostSettingsOp,
  updateProjectCostSettingsOp,
] as const;
