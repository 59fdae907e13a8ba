import * as React from "react";
import { cn } from "@/lib/cn";

export function Table({ className, ...props }: React.TableHTMLAttributes<HTMLTableElement>) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className={cn("min-w-full divide-y divide-slate-200 text-sm", className)} {...props} />
    </div>
  );
}
export const Th = ({ className, ...p }: React.ThHTMLAttributes<HTMLTableCellElement>) => (
  <th scope="col" className={cn("bg-slate-50 px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-700", className)} {...p} />
);
export const Td = ({ className, ...p }: React.TdHTMLAttributes<HTMLTableCellElement>) => (
  <td className={cn("px-4 py-2 align-top text-slate-800", className)} {...p} />
);

/** Rows that become cards below 640 px (list pages): the row, a full-width cell, the same with
 *  its text to the left, and a cell that sits inline beside the next one. */
export const CARD_ROW = "max-sm:block max-sm:space-y-1 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3";
export const CARD_CELL = "max-sm:block max-sm:p-0";
export const CARD_CELL_LEFT = "max-sm:block max-sm:p-0 max-sm:text-left";
export const CARD_INLINE = "max-sm:inline-block max-sm:p-0 max-sm:pr-3";
