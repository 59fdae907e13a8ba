import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listSimFaults } from "@/lib/simulator/list-sim-faults";
import type { SimFaultModeName } from "@/lib/simulator/schemas";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { RemoveFaultButton, SimFaultForm } from "@/components/simulator/sim-fault-form";
import { addSimFaultAction, removeSimFaultAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("simulator");
  return { title: t("title") };
}

async function SimulatorPage() {
  const providers = await guardPage(async () => listSimFaults(await pageContext()));
  const t = await getTranslations("simulator");
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {providers.length === 0 ? <EmptyState title={t("emptyTitle")} /> : null}
      <div className="space-y-6">
        {providers.map((p) => (
          <Card key={p.id} aria-labelledby={`sim-${p.id}`}>
            <CardHeader>
              <h2 id={`sim-${p.id}`} className="text-base font-semibold">
                {p.name}
              </h2>
            </CardHeader>
            <CardBody className="space-y-4">
              <SimFaultForm providerId={p.id} action={addSimFaultAction} />
              {p.faults.length === 0 ? (
                <p className="text-sm text-slate-600">{t("noFaults")}</p>
              ) : (
                <Table aria-label={t("faultsOf", { name: p.name })}>
                  <thead>
                    <tr>
                      <Th>{t("operation")}</Th>
                      <Th>{t("mode")}</Th>
                      <Th>{t("message")}</Th>
                      <Th>{t("remaining")}</Th>
                      <Th>{t("created")}</Th>
                      <Th>
                        <span className="sr-only">{t("actions")}</span>
                      </Th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {p.faults.map((f) => (
                      <tr key={f.id}>
                        <Td className="font-mono">{f.operation === "*" ? t("anyOperation") : f.operation}</Td>
                        <Td>
                          <Badge tone={f.mode.endsWith("TRANSIENT") ? "yellow" : "red"}>{t(`modes.${f.mode as SimFaultModeName}`)}</Badge>
                        </Td>
                        <Td>{f.message}</Td>
                        <Td>{f.remaining === null ? t("everyCall") : f.remaining}</Td>
                        <Td>{format.dateTime(f.createdAt, "long")}</Td>
                        <Td>
                          <RemoveFaultButton faultId={f.id} label={t("removeLabel", { operation: f.operation, mode: f.mode })} action={removeSimFaultAction} />
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </CardBody>
          </Card>
        ))}
      </div>
    </>
  );
}

export default withMessages("all", SimulatorPage);
