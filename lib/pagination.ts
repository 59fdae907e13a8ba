import { z } from "zod";

export const pageSchema = z.coerce.number().int().min(1).max(100000).catch(1);
export const PAGE_SIZE = 20;

export function pageWindow(page: number, pageSize = PAGE_SIZE) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}
export const pageCount = (total: number, pageSize = PAGE_SIZE) => Math.max(1, Math.ceil(total / pageSize));
