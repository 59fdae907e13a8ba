"use client";
// The /workloads pages: the list with live replica status (react-query polling of
// /api/workloads), the request form, and the detail page with scale, roll out, restart, delete
// and the replicas' logs.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { PhoneSortLinks, SortableTh, type SortDir } from "@/components/ui/list";
import { useLiveQuery } from "@/components/live/use-live-query";
import { fetchJson, useActionToast } from "@/components/machines/client-utils";
import type { WorkloadView } from "@/lib/workloads/views";
import type { WorkloadFormOptions } from "@/lib/workloads/form-options";
import type { WorkloadLogLine } from "@/lib/drivers/workload-types";
import { deleteWorkloadAction, requestWorkloadAction, restartWorkloadAction, rolloutWorkloadAction, scaleWorkloadAction } from "@/app/(portal)/workloads/actions";

const BUSY = new Set(["PENDING", "DEPLOYING", "UPDATING", "DELETING"]);
const FAST_MS = 1000;
const SLOW_MS = 5000;

const TONES: Record<string, BadgeTone> = { RUNNING: "green", FAILED: "red", DELETED: "gray", DELETING: "yellow", UPDATING: "blue", DEPLOYING: "blue", PENDING: "gray" };

export function WorkloadStateBadge({ state }: { state: string }) {
  const t = useTranslations("workloads");
  return <Badge tone={TONES[state] ?? "gray"}>{t(`states.${state}`)}</Badge>;
}

/** A cell as part of a phone card (below 640 px). */
const CARD_CELL = "max-sm:block max-sm:p-0";

/**
 * The workloads table, refreshed in place (the shared live poll: fast while one is busy).
 * `query` is the page's filter and sort query string; headers sort (links keeping the filters);
 * below 640 px each row is a card.
 */
export function WorkloadList({
  initial,
  query = "",
  params = {},
  sort = "created",
  dir = "desc",
  filtered = false,
}: {
  initial: WorkloadView[];
  query?: string;
  params?: Record<string, string | undefined>;
  sort?: string;
  dir?: SortDir;
  filtered?: boolean;
}) {
  const t = useTranslations("workloads");
  const tw = useTranslations("workloadList");
  const { data: live } = useLiveQuery({
    queryKey: ["workloads", query],
    queryFn: () => fetchJson<{ items: WorkloadView[] }>(`/api/workloads${query ? `?${query}` : ""}`),
    initialData: { items: initial },
    busy: (d) => d.items.some((w) => BUSY.has(w.state)),
    fastMs: FAST_MS,
    slowMs: SLOW_MS,
  });
  const data = live ?? { items: initial };
  if (!data.items.length) return filtered ? <EmptyState title={tw("emptyFiltered")} /> : <EmptyState title={t("empty.title")} description={t("empty.description")} />;
  const sortProps = { sort, dir, basePath: "/workloads", params };
  return (
    <>
    <PhoneSortLinks columns={[{ column: "name", label: t("fields.name") }, { column: "state", label: t("fields.state") }]} {...sortProps} />
    <Table aria-label={t("title")} className="max-sm:block max-sm:divide-y-0">
      <thead className="max-sm:sr-only">
        <tr>
          <SortableTh column="name" label={t("fields.name")} {...sortProps} />
          <Th>{t("fields.project")}</Th>
          <Th>{t("fields.image")}</Th>
          <Th>{t("fields.replicas")}</Th>
          <SortableTh column="state" label={t("fields.state")} {...sortProps} />
          <Th>{t("fields.provider")}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
        {data.items.map((w) => (
          <tr key={w.id} data-workload={w.name} className="max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:gap-x-3 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3">
            <Td className={CARD_CELL}>
              <Link className="text-indigo-700 underline" href={`/workloads/${w.id}`}>
                {w.name}
              </Link>
            </Td>
            <Td className={`${CARD_CELL} max-sm:col-start-1 max-sm:text-xs max-sm:text-slate-600`}>{w.projectName}</Td>
            <Td className={`${CARD_CELL} max-sm:col-span-2 max-sm:break-all font-mono text-xs`}>{w.image}</Td>
            <Td className={`${CARD_CELL} max-sm:col-start-2 max-sm:row-start-2 max-sm:text-right`} data-testid={`replicas-${w.name}`}>
              {t("replicaStatus", { running: w.running, desired: w.replicas })}
            </Td>
            <Td className={`${CARD_CELL} max-sm:col-start-2 max-sm:row-start-1 max-sm:text-right`}>
              <WorkloadStateBadge state={w.state} />
            </Td>
            <Td className="max-sm:hidden">{w.providerName ?? "—"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
    </>
  );
}

/** "A=1\nB=2" into { A: "1", B: "2" } (blank lines ignored). */
const parseEnv = (text: string) =>
  Object.fromEntries(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf("=") < 0 ? l.length : l.indexOf("=")), l.indexOf("=") < 0 ? "" : l.slice(l.indexOf("=") + 1)]),
  );

export function RequestWorkloadForm({ options }: { options: WorkloadFormOptions }) {
  const t = useTranslations("workloads");
  const tc = useTranslations("common");
  const run = useActionToast();
  const router = useRouter();
  const qc = useQueryClient();
  const [projectId, setProjectId] = useState(options.projects[0]?.id ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, setPending] = useState(false);
  const providers = options.projects.find((p) => p.id === projectId)?.providers ?? [];

  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const port = String(f.get("port") ?? "").trim();
    const command = String(f.get("command") ?? "").trim();
    const health = String(f.get("healthCommand") ?? "").trim();
    const min = String(f.get("minReplicas") ?? "").trim();
    const input = {
      projectId,
      name: String(f.get("name") ?? ""),
      image: String(f.get("image") ?? ""),
      replicas: String(f.get("replicas") ?? ""),
      offeringId: String(f.get("offeringId") ?? ""),
      providerId: String(f.get("providerId") ?? ""),
      command: command ? ["sh", "-c", command] : null,
      ports: port ? [{ containerPort: port, protocol: "TCP" }] : [],
      env: parseEnv(String(f.get("env") ?? "")),
      secrets: parseEnv(String(f.get("secrets") ?? "")),
      healthCheck: health ? { command: ["sh", "-c", health] } : null,
      updateStrategy: String(f.get("updateStrategy") ?? "ROLLING"),
      autoscaling: min ? { minReplicas: min, maxReplicas: String(f.get("maxReplicas") ?? ""), cpuPercent: String(f.get("cpuPercent") ?? "") } : null,
    };
    setPending(true);
    const r = await run(requestWorkloadAction(input), { success: t("request.done"), failure: t("request.failed") });
    setPending(false);
    if (r.ok) {
      setErrors({});
      await qc.invalidateQueries({ queryKey: ["workloads"] });
      router.push(`/workloads/${r.data.workloadId}`);
    } else setErrors((r.error.details?.fields as Record<string, string[]> | undefined) ?? {});
  }

  return (
    <Card className="mt-6">
      <CardHeader>
        <h2 className="text-lg font-semibold">{t("request.title")}</h2>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="grid gap-4 md:grid-cols-2" aria-label={t("request.title")}>
          <Field id="wl-project" label={t("fields.project")} error={errors.projectId}>
            <NativeSelect name="projectId" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              {options.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="wl-provider" label={t("fields.provider")} error={errors.providerId} hint={providers.length ? undefined : t("request.noProvider")}>
            <NativeSelect name="providerId" defaultValue="">
              <option value="">{t("request.anyProvider")}</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({tc(`providerKinds.${p.kind}`)})
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="wl-name" label={t("fields.name")} error={errors.name} hint={t("request.nameHint")}>
            <Input name="name" required maxLength={40} />
          </Field>
          <Field id="wl-image" label={t("fields.image")} error={errors.image} hint={t("request.imageHint")}>
            <Input name="image" required defaultValue="localhost/busybox:latest" />
          </Field>
          <Field id="wl-replicas" label={t("fields.replicas")} error={errors.replicas}>
            <Input name="replicas" type="number" min={1} max={50} defaultValue={1} required />
          </Field>
          <Field id="wl-offering" label={t("fields.offering")} error={errors.offeringId} hint={t("request.offeringHint")}>
            <NativeSelect name="offeringId">
              {options.offerings.map((o) => (
                <option key={o.id} value={o.id}>
                  {t("request.offeringOption", { name: o.name, vcpu: o.vcpu, memoryMb: o.memoryMb })}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="wl-command" label={t("fields.command")} error={errors.command} hint={t("request.commandHint")}>
            <Input name="command" />
          </Field>
          <Field id="wl-port" label={t("fields.port")} error={errors.ports}>
            <Input name="port" type="number" min={1} max={65535} />
          </Field>
          <Field id="wl-env" label={t("fields.env")} error={errors.env} hint={t("request.envHint")}>
            <Textarea name="env" rows={3} />
          </Field>
          <Field id="wl-secrets" label={t("fields.secrets")} error={errors.secrets} hint={t("request.secretsHint")}>
            <Textarea name="secrets" rows={3} />
          </Field>
          <Field id="wl-health" label={t("fields.healthCheck")} error={errors.healthCheck} hint={t("request.healthHint")}>
            <Input name="healthCommand" />
          </Field>
          <Field id="wl-strategy" label={t("fields.updateStrategy")} error={errors.updateStrategy}>
            <NativeSelect name="updateStrategy" defaultValue="ROLLING">
              <option value="ROLLING">{t("strategies.ROLLING")}</option>
              <option value="RECREATE">{t("strategies.RECREATE")}</option>
            </NativeSelect>
          </Field>
          <fieldset className="grid gap-2 md:col-span-2 md:grid-cols-3">
            <legend className="text-sm font-medium">{t("request.autoscaling")}</legend>
            <Field id="wl-min" label={t("fields.minReplicas")} error={errors.autoscaling}>
              <Input name="minReplicas" type="number" min={1} max={50} />
            </Field>
            <Field id="wl-max" label={t("fields.maxReplicas")}>
              <Input name="maxReplicas" type="number" min={1} max={50} />
            </Field>
            <Field id="wl-cpu" label={t("fields.cpuPercent")}>
              <Input name="cpuPercent" type="number" min={1} max={100} />
            </Field>
          </fieldset>
          <div className="md:col-span-2">
            <Button type="submit" disabled={pending}>
              {t("request.submit")}
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

export function WorkloadDetailView({ initial }: { initial: WorkloadView }) {
  const t = useTranslations("workloads");
  const run = useActionToast();
  const qc = useQueryClient();
  const router = useRouter();
  const [replicas, setReplicas] = useState(String(initial.replicas));
  const [image, setImage] = useState(initial.image);
  const [confirm, setConfirm] = useState("");
  const [tail, setTail] = useState<WorkloadLogLine[] | null>(null);
  const { data: w } = useQuery({
    queryKey: ["workload", initial.id],
    queryFn: () => fetchJson<WorkloadView>(`/api/workloads/${initial.id}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && BUSY.has(q.state.data.state) ? FAST_MS : SLOW_MS),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ["workload", initial.id] });
  const can = (a: string) => w.actions.includes(a as never);

  async function readLogs() {
    try {
      const r = await fetchJson<{ lines: WorkloadLogLine[] }>(`/api/workloads/${w.id}/logs?tail=100`);
      setTail(r.lines);
    } catch {
      setTail([]);
    }
  }

  return (
    <>
      <PageHeader title={w.name} description={t("detail.description", { project: w.projectName })} actions={<WorkloadStateBadge state={w.state} />} />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardHeader>
            <h2 className="font-semibold">{t("detail.status")}</h2>
          </CardHeader>
          <CardBody>
            <p data-testid="replica-status" className="mb-2 text-lg">
              {t("replicaStatus", { running: w.running, desired: w.replicas })}
            </p>
            {w.failureReason ? <p className="mb-2 text-sm text-red-700" role="alert">{w.failureReason}</p> : null}
            <dl className="grid grid-cols-2 gap-1 text-sm">
              <dt>{t("fields.image")}</dt>
              <dd className="font-mono text-xs">{w.image}</dd>
              <dt>{t("fields.provider")}</dt>
              <dd>{w.providerName ?? "—"}</dd>
              <dt>{t("fields.limits")}</dt>
              <dd>{t("detail.limits", { vcpu: w.vcpu, memoryMb: w.memoryMb })}</dd>
              <dt>{t("fields.secrets")}</dt>
              <dd>{w.secretNames.join(", ") || "—"}</dd>
              <dt>{t("fields.updateStrategy")}</dt>
              <dd>{t(`strategies.${w.updateStrategy}`)}</dd>
            </dl>
            <Table aria-label={t("detail.replicas")} className="mt-3">
              <thead>
                <tr>
                  <Th>{t("fields.replica")}</Th>
                  <Th>{t("fields.image")}</Th>
                  <Th>{t("fields.state")}</Th>
                </tr>
              </thead>
              <tbody>
                {w.observedReplicas.map((r) => (
                  <tr key={r.name}>
                    <Td>{r.name}</Td>
                    <Td className="font-mono text-xs">{r.image}</Td>
                    <Td>{r.state}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="font-semibold">{t("detail.actions")}</h2>
          </CardHeader>
          <CardBody className="space-y-4">
            <form
              className="flex items-end gap-2"
              onSubmit={async (e) => {
                e.preventDefault();
                await run(scaleWorkloadAction({ workloadId: w.id, replicas }), { success: t("actions.scaleDone"), failure: t("actions.failed") });
                await refresh();
              }}
            >
              <Field id="wl-scale" label={t("actions.replicas")}>
                <Input type="number" min={0} max={50} value={replicas} onChange={(e) => setReplicas(e.target.value)} />
              </Field>
              <Button type="submit" disabled={!can("SCALE")}>
                {t("actions.scale")}
              </Button>
            </form>
            <form
              className="flex items-end gap-2"
              onSubmit={async (e) => {
                e.preventDefault();
                await run(rolloutWorkloadAction({ workloadId: w.id, image }), { success: t("actions.rolloutDone"), failure: t("actions.failed") });
                await refresh();
              }}
            >
              <Field id="wl-rollout" label={t("actions.newImage")}>
                <Input value={image} onChange={(e) => setImage(e.target.value)} />
              </Field>
              <Button type="submit" disabled={!can("ROLLOUT")}>
                {t("actions.rollout")}
              </Button>
            </form>
            <Button
              variant="secondary"
              disabled={!can("RESTART")}
              onClick={async () => {
                await run(restartWorkloadAction({ workloadId: w.id }), { success: t("actions.restartDone"), failure: t("actions.failed") });
                await refresh();
              }}
            >
              {t("actions.restart")}
            </Button>
            <form
              className="flex items-end gap-2"
              onSubmit={async (e) => {
                e.preventDefault();
                const r = await run(deleteWorkloadAction({ workloadId: w.id, confirmName: confirm }), { success: t("actions.deleteDone"), failure: t("actions.failed") });
                if (r.ok) {
                  await qc.invalidateQueries({ queryKey: ["workloads"] });
                  await refresh();
                  router.refresh();
                }
              }}
            >
              <Field id="wl-confirm" label={t("actions.confirmName", { name: w.name })}>
                <Input value={confirm} onChange={(e) => setConfirm(e.target.value)} />
              </Field>
              <Button type="submit" variant="danger" disabled={!can("DELETE")}>
                {t("actions.delete")}
              </Button>
            </form>
          </CardBody>
        </Card>
      </div>
      <Card className="mt-4">
        <CardHeader className="flex items-center justify-between">
          <h2 className="font-semibold">{t("detail.logs")}</h2>
          <Button variant="secondary" size="sm" onClick={readLogs} disabled={w.state === "DELETED" || w.state === "PENDING"}>
            {t("detail.readLogs")}
          </Button>
        </CardHeader>
        <CardBody>
          {tail === null ? (
            <p className="text-sm text-slate-600">{t("detail.logsHint")}</p>
          ) : (
            <pre aria-label={t("detail.logs")} className="max-h-96 overflow-auto bg-slate-900 p-3 text-xs text-slate-100">
              {tail.map((l) => `${l.replica}  ${l.line}`).join("\n") || t("detail.noLogs")}
            </pre>
          )}
        </CardBody>
      </Card>
      <Card className="mt-4">
        <CardHeader>
          <h2 className="font-semibold">{t("detail.operations")}</h2>
        </CardHeader>
        <CardBody>
          <ul className="text-sm">
            {w.operations.map((o) => (
              <li key={o.id}>
                {t(`kinds.${o.kind}`)} · {o.status}
                {o.error ? ` · ${o.error}` : ""}
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
      <p className="mt-4">
        <Link className="text-indigo-700 underline" href="/workloads">
          {t("detail.back")}
        </Link>
      </p>
    </>
  );
}
