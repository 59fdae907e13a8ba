"use client";
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from "recharts";
import type { MachineState } from "@/lib/generated/prisma/enums";

export interface StateSlice {
  state: MachineState;
  label: string;
  count: number;
}

// Close to the state badges' tones; the legend next to the chart names every slice.
export const STATE_COLOURS: Record<MachineState, string> = {
  REQUESTED: "#94a3b8",
  PROVISIONING: "#2563eb",
  RUNNING: "#16a34a",
  STOPPING: "#d97706",
  STOPPED: "#475569",
  STARTING: "#0ea5e9",
  REBOOTING: "#6366f1",
  RESIZING: "#8b5cf6",
  MIGRATING: "#0891b2",
  RECOVERING: "#ea580c",
  RESTORING: "#7c3aed",
  DELETING: "#f59e0b",
  DELETED: "#cbd5e1",
  FAILED: "#dc2626",
};

/** A donut of machines by state. Decorative for assistive technology: the legend list carries the figures. */
export function StateDonut({ slices, total }: { slices: StateSlice[]; total: string }) {
  return (
    <div className="relative h-48 w-48 shrink-0" aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <PieChart accessibilityLayer={false}>
          <Pie rootTabIndex={-1} data={slices} dataKey="count" nameKey="label" innerRadius="62%" outerRadius="100%" paddingAngle={slices.length > 1 ? 2 : 0} isAnimationActive={false} stroke="none">
            {slices.map((s) => (
              <Cell key={s.state} fill={STATE_COLOURS[s.state]} />
            ))}
          </Pie>
          <Tooltip />
        </PieChart>
      </ResponsiveContainer>
      <div className="pointer-events-none absolute inset-0 flex items-center justify-center px-8 text-center text-sm font-semibold text-slate-900">{total}</div>
    </div>
  );
}
