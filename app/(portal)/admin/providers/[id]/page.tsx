import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { statusReasonText } from "@/lib/providers/status-reason";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getProvider } from "@/lib/providers/get-provider";
import { listImportChoices } from "@/lib/providers/list-import-choices";
import { kindsWithDriver } from "@/lib/providers/kinds-with-driver";
import { configFormValues } from "@/lib/providers/schemas";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { formatGib } from "@/components/catalog/format";
import { ProviderForm } from "@/components/providers/provider-form";
import { ProviderChecks } from "@/components/providers/provider-checks";
import { ImportDialog } from "@/components/providers/import-dialog";
import { OfferingSizesForm } from "@/components/providers/offering-sizes-form";
import { DeleteProviderButton } from "@/components/providers/delete-provider-button";
import { getOfferingSizes } from "@/lib/providers/get-offering-sizes";
import { withMessages } from "@/components/layout/page-messages";
import {
  deleteProviderAction,
  discoverHostsAction,
  importUnmanagedMachineAction,
  setOfferingSizesAction,
  setProviderEnabledAction,
  syncProviderNowAction,
  testProviderConnectionAction,
  updateProviderAction,
} from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("providers"))("editProvider") };
}

async function ProviderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const p = await guardPage(() => getProvider(ctx, { id }));
  const choices = p.unmanagedMachines.length ? await guardPage(() => listImportChoices(ctx)) : null;
  const sizes = await guardPage(() => getOfferingSizes(ctx, { id }));
  const t = await getTranslations("providers");
  const tm = await getTranslations("machines");
  const format = await getFormatter();
  const size = (m: { vcpu: number | null; memoryMb: number | null; diskGb: number | null }) =>
    m.vcpu === null && m.memoryMb === null
      ? t("unknownSize")
      : t("size", {
          vcpu: m.vcpu ?? "?",
          memory: m.memoryMb === null ? "?" : `${formatGib(format, m.memoryMb)} GiB`,
          disk: m.diskGb === null ? "?" : `${m.diskGb} GB`,
        });

  return (
    <>
      <Link href="/admin/providers" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader
        title={t("editNamed", { name: p.name })}
        description={`${t(`kinds.${p.kind}`)} · ${t("hostCount", { count: p.hostCount })}`}
        actions={<Badge tone={p.status === "ACTIVE" ? "green" : p.status === "UNAVAILABLE" ? "red" : "gray"}>{t(`statuses.${p.status}`)}</Badge>}
      />

      <div className="space-y-8">
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("sections.status")}</h2>
          </CardHeader>
          <CardBody className="space-y-3">
            {p.statusReason ? (
              <p className="text-sm text-slate-800">
                <span className="font-medium">{t("statusReason")}:</span> <span className="break-words">{statusReasonText(p.statusReason, t)}</span>
              </p>
            ) : null}
            <p className="text-xs text-slate-600">{p.lastSyncAt ? t("lastSync", { date: format.dateTime(new Date(p.lastSyncAt), "long") }) : t("neverSynced")}</p>
            <ProviderChecks
              id={p.id}
              name={p.name}
              status={p.status}
              actions={{ test: testProviderConnectionAction, discover: discoverHostsAction, sync: syncProviderNowAction, setEnabled: setProviderEnabledAction }}
            />
          </CardBody>
        </Card>

        <ProviderForm
          edit={{ id: p.id, credentialsSet: p.credentialsSet }}
          kindsWithDriver={kindsWithDriver()}
          save={updateProviderAction}
          defaultValues={{
            name: p.name,
            kind: p.kind,
            endpoint: p.endpoint,
            credentials: {},
            config: configFormValues(p.config),
            cpuOvercommit: p.cpuOvercommit,
            memoryOvercommit: p.memoryOvercommit,
            diskOvercommit: p.diskOvercommit,
            placementPolicy: p.placementPolicy,
            metricsIntervalSeconds: p.metricsIntervalSeconds,
            clearCredentials: false,
          }}
        />

        {sizes.mapped ? (
          <section aria-labelledby="sizes-heading" className="space-y-3">
            <div>
              <h2 id="sizes-heading" className="text-lg font-semibold text-slate-900">
                {t("sections.offeringSizes")}
              </h2>
              <p className="text-sm text-slate-600">{t("offeringSizes.description", { kind: t(`kinds.${p.kind}`) })}</p>
            </div>
            <OfferingSizesForm providerId={p.id} view={sizes} save={setOfferingSizesAction} />
          </section>
        ) : null}

        <section aria-labelledby="drifted-heading" className="space-y-3">
          <div>
            <h2 id="drifted-heading" className="text-lg font-semibold text-slate-900">
              {t("sections.drifted")}
            </h2>
            <p className="text-sm text-slate-600">{t("driftedDescription")}</p>
          </div>
          {p.driftedMachines.length === 0 ? (
            <p className="text-sm text-slate-700">{t("driftedEmpty")}</p>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>{t("columns.machine")}</Th>
                  <Th>{t("columns.project")}</Th>
                  <Th>{t("columns.state")}</Th>
                  <Th>{t("columns.reason")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {p.driftedMachines.map((m) => (
                  <tr key={m.id}>
                    <Td>
                      <Link href={`/machines/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                        {m.name}
                      </Link>
                    </Td>
                    <Td>{m.projectName}</Td>
                    <Td>{tm.has(`states.${m.state}`) ? tm(`states.${m.state}`) : m.state}</Td>
                    <Td className="max-w-md break-words">{m.driftReason}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>

        <section aria-labelledby="unmanaged-heading" className="space-y-3">
          <div>
            <h2 id="unmanaged-heading" className="text-lg font-semibold text-slate-900">
              {t("sections.unmanaged")}
            </h2>
            <p className="text-sm text-slate-600">{t("unmanagedDescription")}</p>
          </div>
          {p.unmanagedMachines.length === 0 || !choices ? (
            <p className="text-sm text-slate-700">{t("unmanagedEmpty")}</p>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>{t("columns.machine")}</Th>
                  <Th>{t("columns.ref")}</Th>
                  <Th>{t("columns.providerState")}</Th>
                  <Th>{t("columns.size")}</Th>
                  <Th>{t("columns.host")}</Th>
                  <Th>{t("columns.seen")}</Th>
                  <Th>
                    <span className="sr-only">{t("columns.actions")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {p.unmanagedMachines.map((u) => (
                  <tr key={u.id}>
                    <Td className="font-medium">{u.name}</Td>
                    <Td className="max-w-48 break-all font-mono text-xs">{u.ref}</Td>
                    <Td>{tm.has(`states.${u.state}`) ? tm(`states.${u.state}`) : u.state}</Td>
                    <Td>{size(u)}</Td>
                    <Td>{u.hostRef ?? "—"}</Td>
                    <Td>{format.dateTime(new Date(u.seenAt), "long")}</Td>
                    <Td className="text-right">
                      <ImportDialog machine={u} choices={choices} importMachine={importUnmanagedMachineAction} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>

        <section aria-labelledby="delete-heading" className="space-y-3 rounded-lg border border-red-200 p-4">
          <h2 id="delete-heading" className="text-lg font-semibold text-slate-900">
            {t("sections.delete")}
          </h2>
          <p className="text-sm text-slate-600">{t("deleteDescription")}</p>
          <DeleteProviderButton id={p.id} name={p.name} liveMachines={p.liveMachineCount} remove={deleteProviderAction} />
        </section>
      </div>
    </>
  );
}

export default withMessages("all", ProviderPage);
