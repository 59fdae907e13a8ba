"use client";
// The rows of /admin/hosts as one client component fed with plain data: the server component
// payload then carries each host's fields once (~0.4 KB) instead of the rendered row (~4.6 KB
// of elements and class names, on top of the same row in the HTML). Labels that need other
// namespaces (the host state, the machine count) come translated by the page.
import { Badge } from "@/components/ui/badge";
import { Td } from "@/components/ui/table";
import type { HostUsage } from "@/lib/capacity/capacity-math";
import { UsageMeters } from "./usage-meters";
import { MaintenanceToggle } from "./maintenance-toggle";

export interface HostRow {
  id: string;
  name: string;
  providerName: string;
  state: "ACTIVE" | "MAINTENANCE" | "DISABLED" | "FAILED";
  stateLabel: string;
  machinesLabel: string;
  usage: HostUsage;
}

export function HostRows({ rows }: { rows: HostRow[] }) {
  return (
    <tbody className="divide-y divide-slate-100">
      {rows.map((h) => (
        <tr key={h.id} data-host={h.name} className={h.state === "MAINTENANCE" ? "bg-amber-50/60" : undefined}>
          <Td className="font-medium">{h.name}</Td>
          <Td>{h.providerName}</Td>
          <Td>
            <Badge tone={h.state === "ACTIVE" ? "green" : h.state === "MAINTENANCE" ? "yellow" : "gray"}>{h.stateLabel}</Badge>
          </Td>
          <Td>{h.machinesLabel}</Td>
          <Td>
            <UsageMeters usage={h.usage} />
          </Td>
          <Td>
            <MaintenanceToggle hostId={h.id} name={h.name} state={h.state} />
          </Td>
        </tr>
      ))}
    </tbody>
  );
}
