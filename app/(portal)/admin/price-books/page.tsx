import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listPriceBooks, type BookSummary } from "@/lib/costs/list-price-books";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { CreatePriceBookButton } from "@/components/costs/create-price-book-button";
import { createPriceBookAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("costs.priceBooks"))("title") };
}

async function PriceBooksPage() {
  const ctx = await pageContext();
  const data = await guardPage(() => listPriceBooks(ctx));
  const t = await getTranslations("costs.priceBooks");
  const tk = await getTranslations("costs.comparison");
  const kindName = (k: string): string => (tk.has(`kinds.${k}`) ? tk(`kinds.${k}`) : k);
  const f = await getFormatter();
  const when = (iso: string) => f.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const inForce = (b: BookSummary | null) => (b?.inForce ? when(b.inForce.effectiveFrom) : <span className="text-slate-600">{t("noVersion")}</span>);
  const link = "font-medium text-indigo-700 hover:underline";
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("providersTitle")}</h2>
          </CardHeader>
          <CardBody>
            <Table data-testid="price-book-providers">
              <thead>
                <tr>
                  <Th>{t("columns.provider")}</Th>
                  <Th>{t("columns.kind")}</Th>
                  <Th>{t("columns.book")}</Th>
                  <Th>{t("columns.inForce")}</Th>
                  <Th>{t("columns.next")}</Th>
                  <Th>{t("columns.actions")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.providers.map((p) => (
                  <tr key={p.id} data-provider={p.name}>
                    <Td className="font-medium text-slate-900">{p.name}</Td>
                    <Td>
                      {kindName(p.kind)} <span className="text-xs text-slate-600">({tk(`cloud.${p.cloud}`)})</span>
                    </Td>
                    <Td>{p.scope ? <Badge tone={p.scope === "provider" ? "indigo" : "gray"}>{t(`scope.${p.scope}`)}</Badge> : <Badge tone="yellow">{t("none")}</Badge>}</Td>
                    <Td>{inForce(p.book)}</Td>
                    <Td>{p.book?.next ? when(p.book.next.effectiveFrom) : "—"}</Td>
                    <Td className="space-x-3 whitespace-nowrap">
                      {p.book ? (
                        <Link href={`/admin/price-books/${p.book.id}`} className={link} aria-label={t("openLabel", { name: p.scope === "kind" ? kindName(p.kind) : p.name })}>
                          {t("open")}
                        </Link>
                      ) : null}
                      {p.scope !== "provider" ? (
                        <CreatePriceBookButton input={{ providerId: p.id }} label={t("createForProvider", { name: p.name })} text={p.scope ? t("createOwn") : t("create")} action={createPriceBookAction} />
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("kindsTitle")}</h2>
            <p className="mt-0.5 text-sm text-slate-600">{t("kindsDescription")}</p>
          </CardHeader>
          <CardBody>
            <Table>
              <thead>
                <tr>
                  <Th>{t("columns.kind")}</Th>
                  <Th>{t("columns.providers")}</Th>
                  <Th>{t("columns.inForce")}</Th>
                  <Th>{t("columns.next")}</Th>
                  <Th>{t("columns.actions")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.kinds.map((k) => (
                  <tr key={k.kind} data-kind={k.kind}>
                    <Td className="font-medium text-slate-900">
                      {kindName(k.kind)} <span className="text-xs font-normal text-slate-600">({tk(`cloud.${k.cloud}`)})</span>
                    </Td>
                    <Td>{f.number(k.providers)}</Td>
                    <Td>{k.book ? inForce(k.book) : <span className="text-slate-600">{t("none")}</span>}</Td>
                    <Td>{k.book?.next ? when(k.book.next.effectiveFrom) : "—"}</Td>
                    <Td>
                      {k.book ? (
                        <Link href={`/admin/price-books/${k.book.id}`} className={link} aria-label={t("openLabel", { name: kindName(k.kind) })}>
                          {t("open")}
                        </Link>
                      ) : (
                        <CreatePriceBookButton input={{ providerKind: k.kind }} label={t("createForKind", { kind: kindName(k.kind) })} action={createPriceBookAction} />
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </CardBody>
        </Card>
      </div>
    </>
  );
}

export default withMessages(["costs"], PriceBooksPage);
