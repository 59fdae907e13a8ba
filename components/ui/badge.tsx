import * as React from "react";
import { cn } from "@/lib/cn";

const tones = {
  gray: "bg-slate-100 text-slate-800 ring-slate-300",
  blue: "bg-blue-50 text-blue-800 ring-blue-300",
  green: "bg-green-50 text-green-800 ring-green-300",
  yellow: "bg-amber-50 text-amber-900 ring-amber-300",
  red: "bg-red-50 text-red-800 ring-red-300",
  indigo: "bg-indigo-50 text-indigo-800 ring-indigo-300",
} as const;
export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "gray", className, ...props }: React.HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      className={cn("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone], className)}
      {...props}
    />
  );
}
