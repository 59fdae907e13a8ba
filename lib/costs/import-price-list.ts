// A price list imported from a file the administrator uploads (CSV or JSON; price-file.ts):
// parsed, checked item by item like the form, and added as a new version of the book.
import "server-only";
import type { Ctx } from "../context";
import { assertCan } from "../auth/permissions";
import { AppError } from "../errors";
import { env } from "../env";
import { addPriceVersionInTx } from "./add-price-version";
import { parsePriceFile, problemText, type PriceFileProblem } from "./price-file";
import { priceItemSchema, priceItemsSchema, type ImportPriceListInput } from "./schemas";

export async function importPriceList(ctx: Ctx, input: ImportPriceListInput) {
  assertCan(ctx.actor, "price.manage");
  const currency = env().ORQ_CURRENCY;
  const parsed = parsePriceFile(input.format, input.content, currency);
  const problems: (PriceFileProblem | { line: number; key: "item"; value: string })[] = [...parsed.errors];
  const items = parsed.items.flatMap((raw, i) => {
    const r = priceItemSchema.safeParse(raw);
    if (r.success) return [r.data];
    for (const issue of r.error.issues) problems.push({ line: parsed.lines[i], key: "item", value: issue.message });
    return [];
  });
  if (!problems.length) {
    const all = priceItemsSchema.safeParse(items);
    if (!all.success) for (const issue of all.error.issues) problems.push({ line: parsed.lines[Number(issue.path[0])] ?? 0, key: "item", value: issue.message });
  }
  if (problems.length) {
    const text = problems.slice(0, 20).map((p) => (p.key === "item" ? `line ${p.line}: ${p.value}` : problemText(p, currency)));
    throw new AppError("VALIDATION", `The price file has problems: ${text.join("; ")}`, { fields: { content: ["fileInvalid"] }, problems: problems.slice(0, 50) });
  }
  const source = `import:${input.fileName || input.format}`.slice(0, 200);
  return ctx.db.$transaction((tx) => addPriceVersionInTx(tx, ctx, { priceBookId: input.priceBookId, effectiveFrom: input.effectiveFrom || undefined, note: "", items }, source));
}
