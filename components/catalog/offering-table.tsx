import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { CatalogOffering } from "@/lib/catalog/list-offerings";
import { formatCount, formatGib, formatMoney } from "./format";

export function OfferingTable({ offerings, currency }: { offerings: CatalogOffering[]; currency: string }) {
  const t = useTranslations("catalog");
  const f = useFormatter();
  return (
    <Table>
      <caption className="sr-only">{t("title")}</caption>
      <thead>
        <tr>
          <Th>{t("offering")}</Th>
          <Th className="text-right">{t("vcpu")}</Th>
          <Th className="text-right">{t("memory")}</Th>
          <Th className="text-right">{t("disk")}</Th>
          <Th className="text-right">{t("price")}</Th>
          <Th>
            <span className="sr-only">{t("request")}</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {offerings.map((o) => (
          <tr key={o.id}>
            <Td>
              <span className="font-medium text-slate-900">{o.name}</span>
              {o.description ? <span className="block text-xs text-slate-600">{o.description}</span> : null}
            </Td>
            <Td className="text-right tabular-nums">{formatCount(f, o.vcpu)}</Td>
            <Td className="text-right tabular-nums">{t("gib", { value: formatGib(f, o.memoryMb) })}</Td>
            <Td className="text-right tabular-nums">
              <span className="inline-flex items-center gap-2">
                {t("gb", { value: formatCount(f, o.diskGb) })}
                <Badge tone={o.diskTier === "SSD" ? "indigo" : "gray"}>{t(`tiers.${o.diskTier}`)}</Badge>
              </span>
            </Td>
            <Td className="text-right tabular-nums">{t("perMonth", { amount: formatMoney(f, o.monthlyPriceCents, currency) })}</Td>
            <Td className="text-right">
              <Link
                href={`/catalog/${o.id}/request`}
                aria-label={t("requestOffering", { name: o.name })}
                className="inline-flex h-8 items-center rounded-md bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              >
                {t("request")}
              </Link>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
