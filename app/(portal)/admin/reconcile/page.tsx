import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listReconcileRuns } from "@/lib/reconcile/list-reconcile-runs";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { CountersReconcileButtons, ProviderReconcileButton } from "@/components/reconcile/reconcile-buttons";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("reconcile");
  return { title: t("title") };
}

const TONE: Record<string, BadgeTone> = { ok: "green", drift: "yellow", error: "red" };

async function ReconcilePage() {
  const data = await guardPage(async () => listReconcileRuns(await pageContext()));
  const t = await getTranslations("reconcile");
  const tc = await getTranslations("common");
  const format = await getFormatter();
  const when = (iso: string | null) => (iso ? format.dateTime(new Date(iso), "long") : t("never"));
  const outcome = (o: string | null) => <Badge tone={TONE[o ?? ""] ?? "gray"}>{t(`outcomes.${(o ?? "running") as "ok" | "drift" | "error" | "running"}`)}</Badge>;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {data.mode === "report" ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-300">
          {t("reportMode")}
        </p>
      ) : null}
      <div className="space-y-6">
        <Card aria-labelledby="rc-counters">
          <CardHeader>
            <h2 id="rc-counters" className="text-base font-semibold">
              {t("countersTitle")}
            </h2>
            <p className="text-sm text-slate-600">{t("countersDescription")}</p>
          </CardHeader>
          <CardBody className="space-y-4">
            <CountersReconcileButtons />
            {data.counters.length === 0 ? (
              <p className="text-sm text-slate-600">{t("noRuns")}</p>
            ) : (
              <Table aria-label={t("countersRuns")}>
                <thead>
                  <tr>
                    <Th>{t("started")}</Th>
                    <Th>{t("trigger")}</Th>
                    <Th>{t("outcome")}</Th>
                    <Th>{t("drifted")}</Th>
                    <Th>{t("repaired")}</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.counters.map((r) => (
                    <tr key={r.id}>
                      <Td>{when(r.startedAt)}</Td>
                      <Td>{t(`triggers.${r.trigger as "schedule" | "admin"}`)}</Td>
                      <Td>{outcome(r.outcome)}</Td>
                      <Td>
                        {r.drift.length === 0 ? (
                          "0"
                        ) : (
                          <details>
                            <summary className="cursor-pointer">{t("driftCount", { n: r.drift.length })}</summary>
                            <ul className="mt-1 space-y-1 text-xs">
                              {r.drift.map((d) => (
                                <li key={`${d.kind}-${d.id}`}>
                                  {t(`kinds.${d.kind}`)} {d.name}:{" "}
                                  {Object.keys(d.stored)
                                    .filter((k) => d.stored[k] !== d.actual[k])
                                    .map((k) => t("driftLine", { what: k, stored: d.stored[k], actual: d.actual[k] }))
                                    .join("; ")}
                                </li>
                              ))}
                            </ul>
                          </details>
                        )}
                      </Td>
                      <Td>{r.repaired}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </CardBody>
        </Card>

        <Card aria-labelledby="rc-providers">
          <CardHeader>
            <h2 id="rc-providers" className="text-base font-semibold">
              {t("providersTitle")}
            </h2>
            <p className="text-sm text-slate-600">{t("providersDescription")}</p>
          </CardHeader>
          <CardBody>
            <Table aria-label={t("providersTitle")}>
              <thead>
                <tr>
                  <Th>{t("provider")}</Th>
                  <Th>{t("lastRun")}</Th>
                  <Th>{t("outcome")}</Th>
                  <Th>{t("findings")}</Th>
                  <Th>
                    <span className="sr-only">{t("actions")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.providers.map((p) => (
                  <tr key={p.id}>
                    <Td>
                      <span className="font-medium">{p.name}</span> <span className="text-xs text-slate-500">{tc(`providerKinds.${p.kind}`)}</span>
                    </Td>
                    <Td>{when(p.last?.startedAt ?? null)}</Td>
                    <Td>{p.last ? outcome(p.last.outcome) : "—"}</Td>
                    <Td>
                      {!p.last || p.last.findings.length === 0 ? (
                        "0"
                      ) : (
                        <details>
                          <summary className="cursor-pointer">{t("findingsCount", { n: p.last.findings.length })}</summary>
                          <ul className="mt-1 space-y-1 text-xs">
                            {p.last.findings.map((f) => (
                              <li key={f.ref}>
                                <span className="font-mono">{f.ref}</span>: {t(`actions_.${f.action}`)} ({f.done ? t("done") : t("notDone")}) — {f.reason}
                                {f.error ? ` — ${f.error}` : ""}
                              </li>
                            ))}
                          </ul>
                        </details>
                      )}
                    </Td>
                    <Td>{p.status === "DISABLED" ? null : <ProviderReconcileButton providerId={p.id} name={p.name} />}</Td>
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

export default withMessages(["reconcile"], ReconcilePage);
