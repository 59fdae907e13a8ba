// The signed-in user's own requests, newest first (or by cost or project), optionally of one
// status or matching a search; keyset pages through `cursor`. The page, its names and the
// count (capped at COUNT_CAP) come from one statement (my-requests-page.ts).
import "server-only";
import type { Ctx } from "../context";
import { env } from "../env";
import { COUNT_CAP, decodeKeyCursor, encodeKeyCursor, pageCount, PAGE_SIZE } from "../pagination";
import { myRequestsPage } from "./my-requests-page";
import type { ListMyRequestsInput } from "./schemas";

export async function listMyRequests(ctx: Ctx, input: ListMyRequestsInput) {
  const sort = input.sort ?? "created";
  const dir = input.dir ?? (sort === "project" ? "asc" : "desc");
  const found = await myRequestsPage(ctx.db, {
    requesterId: ctx.actor.id,
    status: input.status,
    q: input.q,
    sort,
    dir,
    after: decodeKeyCursor(input.cursor),
    page: input.page ?? 1,
  });
  const more = found.rows.length > PAGE_SIZE;
  const rows = more ? found.rows.slice(0, PAGE_SIZE) : found.rows;
  const last = rows.at(-1);
  const total = Math.min(found.counted, COUNT_CAP);
  return {
    items: rows.map(({ sortValue: _, ...r }) => ({ ...r, cancellable: r.status === "PENDING_APPROVAL" })),
    page: found.page,
    pageCount: pageCount(total),
    nextCursor: more && last ? encodeKeyCursor(last.sortValue, last.id) : null,
    sort,
    dir,
    /** A request still waits for a decision or its machines: the list polls faster. */
    busy: rows.some((r) => r.status === "PENDING_APPROVAL"),
    /** Exact up to COUNT_CAP; COUNT_CAP with totalCapped above it. */
    total,
    totalCapped: found.counted > COUNT_CAP,
    currency: env().ORQ_CURRENCY,
  };
}
export type MyRequest = Awaited<ReturnType<typeof listMyRequests>>["items"][number];
