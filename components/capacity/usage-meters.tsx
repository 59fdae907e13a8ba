"use client";
// A client component so that a page with many of them (50 hosts) sends each host's usage as
// data in the server component payload rather than the rendered tree of four meters (~4.6 KB
// a row twice, as HTML and payload). Needs the "capacity" messages on the page.
import { useFormatter, useTranslations } from "next-intl";
import { UsageMeter } from "@/components/ui/meter";
import type { HostUsage, ResourceUsage } from "@/lib/capacity/capacity-math";

/** vCPU, memory, SSD and HDD as bars of used against allocatable (physical x overcommit). */
export function UsageMeters({ usage }: { usage: HostUsage }) {
  const t = useTranslations("capacity");
  const format = useFormatter();
  const n = (v: number) => format.number(v, { maximumFractionDigits: 1 });
  const ratio = (r: number) => format.number(r, { maximumFractionDigits: 2 });
  const meter = (label: string, u: ResourceUsage, unit: (v: number) => string) =>
    u.total > 0 ? (
      <UsageMeter label={label} used={u.used} limit={u.capacity} format={unit} />
    ) : (
      <p className="flex justify-between text-xs">
        <span className="font-medium text-slate-700">{label}</span>
        <span className="text-slate-500">{t("resources.none")}</span>
      </p>
    );
  return (
    <div className="grid min-w-72 gap-2">
      {meter(usage.vcpu.ratio !== 1 ? t("resources.vcpuRatio", { ratio: ratio(usage.vcpu.ratio) }) : t("resources.vcpu"), usage.vcpu, (v) => n(v))}
      {meter(
        usage.memoryMb.ratio !== 1 ? t("resources.memoryRatio", { ratio: ratio(usage.memoryMb.ratio) }) : t("resources.memory"),
        usage.memoryMb,
        (v) => t("units.gib", { n: n(v / 1024) }),
      )}
      {meter(t("resources.diskSsd"), usage.diskSsdGb, (v) => t("units.gb", { n: n(v) }))}
      {meter(t("resources.diskHdd"), usage.diskHddGb, (v) => t("units.gb", { n: n(v) }))}
    </div>
  );
}
