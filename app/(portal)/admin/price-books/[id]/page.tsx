import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getPriceBook } from "@/lib/costs/get-price-book";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { PriceVersionForm } from "@/components/costs/price-version-form";
import { PriceImportForm } from "@/components/costs/price-import-form";
import { formatCost } from "@/components/costs/format";
import { addPriceVersionAction, importPriceListAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("costs.priceBooks"))("title") };
}

async function PriceBookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const book = await guardPage(() => getPriceBook(ctx, { priceBookId: id }));
  const t = await getTranslations("costs.priceBooks");
  const tk = await getTranslations("costs.comparison");
  const kindName = (k: string): string => (tk.has(`kinds.${k}`) ? tk(`kinds.${k}`) : k);
  const f = await getFormatter();
  const when = (iso: string) => f.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const title = book.provider ? t("bookOfProvider", { name: book.provider.name }) : t("bookOfKind", { kind: kindName(book.kind) });
  const current = book.versions.find((v) => v.status === "IN_FORCE") ?? book.versions.find((v) => v.status === "SCHEDULED") ?? null;
  return (
    <>
      <Link href="/admin/price-books" className="text-sm text-indigo-700 hover:underline">
        ← {t("back")}
      </Link>
      <PageHeader
        title={title}
        description={book.providerKind ? (book.usedBy.length ? t("usedBy", { names: book.usedBy.map((p) => p.name).join(", ") }) : t("usedByNone")) : undefined}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("newVersion")}</h2>
            <p className="mt-0.5 text-sm text-slate-600">{t("newVersionHelp")}</p>
          </CardHeader>
          <CardBody>
            <PriceVersionForm priceBookId={book.id} currency={book.currency} from={current?.items ?? []} action={addPriceVersionAction} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("importTitle")}</h2>
          </CardHeader>
          <CardBody>
            <PriceImportForm priceBookId={book.id} currency={book.currency} action={importPriceListAction} />
          </CardBody>
        </Card>
      </div>
      <section aria-labelledby="versions-heading" className="mt-8 space-y-4">
        <h2 id="versions-heading" className="text-lg font-semibold text-slate-900">
          {t("versionsTitle")}
        </h2>
        {book.versions.length === 0 ? <p className="text-sm text-slate-600">{t("noVersions")}</p> : null}
        {book.versions.map((v) => (
          <Card key={v.id} data-version-status={v.status}>
            <CardHeader className="flex flex-wrap items-center justify-between gap-2">
              <h3 className="text-sm font-semibold text-slate-900">{t("versionHeading", { date: when(v.effectiveFrom) })}</h3>
              <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <Badge tone={v.status === "IN_FORCE" ? "green" : v.status === "SCHEDULED" ? "blue" : "gray"}>{t(`status.${v.status}`)}</Badge>
                <span>{t("source", { source: v.source })}</span>
                {v.createdBy ? <span>{t("by", { name: v.createdBy })}</span> : null}
              </div>
            </CardHeader>
            <CardBody>
              {v.note ? <p className="mb-2 text-sm text-slate-700">{v.note}</p> : null}
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
                  <tr>
                    <th scope="col" className="py-1 pr-4">{t("itemColumns.item")}</th>
                    <th scope="col" className="py-1 pr-4">{t("itemColumns.size")}</th>
                    <th scope="col" className="py-1 text-right">{t("itemColumns.price")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {v.items.map((i) => (
                    <tr key={`${i.kind}:${i.name}`}>
                      <th scope="row" className="py-1 pr-4 text-left font-normal">
                        {i.kind === "INSTANCE" ? <span className="font-mono">{i.name}</span> : t(`items.${i.kind}`)}
                      </th>
                      <td className="py-1 pr-4 text-slate-700">{i.kind === "INSTANCE" ? t("instanceSize", { vcpu: i.vcpu ?? 0, memory: f.number((i.memoryMb ?? 0) / 1024) }) : "—"}</td>
                      <td className="py-1 text-right tabular-nums">{t(`per.${i.unit}`, { amount: formatCost(f, i.millicents, book.currency) })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </CardBody>
          </Card>
        ))}
      </section>
    </>
  );
}

export default withMessages(["costs"], PriceBookPage);
