"use client";
// A webhook and its delivery log, refreshed by polling the session route (faster while a
// delivery is pending), with Redeliver, enable/disable, secret rotation and delete.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useFormatter, useTranslations } from "next-intl";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { fetchJson, useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";
import type { DeliveryView, WebhookView } from "@/lib/webhooks/views";
import { SecretDialog } from "./secret-dialog";

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };
export interface WebhookDetailData {
  webhook: Omit<Json<WebhookView>, "lastDelivery"> & { lastDelivery: { status: DeliveryView["status"]; responseStatus: number | null; createdAt: string } | null };
  deliveries: Json<DeliveryView>[];
  page: number;
  pageCount: number;
  total: number;
}
type Act<T = unknown> = (input: unknown) => Promise<ActionResult<T>>;

const TONES = { PENDING: "yellow", SUCCEEDED: "green", FAILED: "red" } as const;

export function WebhookDetail({
  initial,
  actions,
}: {
  initial: WebhookDetailData;
  actions: { update: Act; remove: Act; rotate: Act<{ id: string; secret: string }>; redeliver: Act };
}) {
  const t = useTranslations("webhooks.ui");
  const format = useFormatter();
  const errorText = useErrorText();
  const router = useRouter();
  const qc = useQueryClient();
  const [pending, start] = useTransition();
  const [secret, setSecret] = useState<string | null>(null);
  const id = initial.webhook.id;
  const key = ["webhook", id];
  const { data, isError } = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<WebhookDetailData>(`/api/webhooks/${id}`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.deliveries.some((d) => d.status === "PENDING") ? 1500 : 5000),
  });
  const w = data.webhook;
  const when = (iso: string) => format.dateTime(new Date(iso), "long");
  const fail = (message: string, r: ActionResult<unknown>) => {
    if (!r.ok) toast.error(message, { description: errorText(r.error) });
  };

  return (
    <>
      <PageHeader
        title={t("detailTitle", { project: w.projectName })}
        description={w.description || undefined}
        actions={
          <Link href="/webhooks" className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <div className="space-y-6">
        <Card aria-labelledby="webhook-details">
          <CardBody className="space-y-4">
            <h2 id="webhook-details" className="sr-only">
              {t("details")}
            </h2>
            <dl className="grid gap-3 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-slate-700">{t("url")}</dt>
              <dd className="break-all font-mono text-xs" data-testid="webhook-url">
                {w.url}
              </dd>
              <dt className="font-medium text-slate-700">{t("events")}</dt>
              <dd>{w.events.map((e) => t(`eventTypes.${e.replace(/\./g, "_")}` as never)).join(", ")}</dd>
              <dt className="font-medium text-slate-700">{t("enabledCol")}</dt>
              <dd>
                <Badge tone={w.enabled ? "green" : "gray"}>{w.enabled ? t("on") : t("off")}</Badge>
              </dd>
              <dt className="font-medium text-slate-700">{t("createdAt")}</dt>
              <dd>{when(w.createdAt)}</dd>
            </dl>
            <div className="flex flex-wrap gap-2">
              <Button
                variant="secondary"
                disabled={pending}
                onClick={() =>
                  start(async () => {
                    const r = await actions.update({ id, url: w.url, events: w.events, description: w.description, enabled: !w.enabled });
                    if (r.ok) {
                      toast.success(w.enabled ? t("disabledNow") : t("enabledNow"));
                      await qc.invalidateQueries({ queryKey: key });
                    } else fail(t("toggleFailed"), r);
                  })
                }
              >
                {w.enabled ? t("disable") : t("enable")}
              </Button>
              <ConfirmButton
                label={t("rotate")}
                title={t("rotateTitle")}
                body={t("rotateText")}
                confirmLabel={t("rotate")}
                cancelLabel={t("cancel")}
                closeLabel={t("close")}
                confirmVariant="primary"
                onConfirm={async () => {
                  const r = await actions.rotate({ id });
                  if (!r.ok) {
                    fail(t("rotateFailed"), r);
                    return false;
                  }
                  toast.success(t("rotated"));
                  setSecret(r.data.secret);
                  return true;
                }}
              />
              <ConfirmButton
                label={t("delete")}
                accessibleLabel={t("deleteLabel", { url: w.url })}
                title={t("deleteTitle")}
                body={t("deleteText")}
                confirmLabel={t("delete")}
                cancelLabel={t("cancel")}
                closeLabel={t("close")}
                onConfirm={async () => {
                  const r = await actions.remove({ id });
                  if (!r.ok) {
                    fail(t("deleteFailed"), r);
                    return false;
                  }
                  toast.success(t("deleted"));
                  router.push("/webhooks");
                  router.refresh();
                  return true;
                }}
              />
            </div>
          </CardBody>
        </Card>
        <section aria-labelledby="delivery-log" className="space-y-3">
          <h2 id="delivery-log" className="text-base font-semibold">
            {t("deliveries")}
          </h2>
          {isError ? (
            <p role="status" className="text-sm text-red-700">
              {t("loadError")}
            </p>
          ) : null}
          {data.deliveries.length === 0 ? (
            <EmptyState title={t("noDeliveries")} />
          ) : (
            <Table aria-label={t("deliveriesLabel")}>
              <thead>
                <tr>
                  <Th>{t("event")}</Th>
                  <Th>{t("status")}</Th>
                  <Th>{t("response")}</Th>
                  <Th>{t("attempts")}</Th>
                  <Th>{t("time")}</Th>
                  <Th>
                    <span className="sr-only">{t("redeliver")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <Td>
                      <code className="text-xs">{d.eventType}</code>
                      {d.redeliveryOfId ? <span className="ml-2 text-xs text-slate-600">({t("redelivery")})</span> : null}
                    </Td>
                    <Td>
                      <Badge tone={TONES[d.status]}>{t(`statuses.${d.status}`)}</Badge>
                    </Td>
                    <Td>
                      {d.responseStatus !== null ? <span className="font-mono">{d.responseStatus}</span> : null}
                      {d.durationMs !== null ? <span className="ml-2 text-xs text-slate-600">{t("duration", { ms: d.durationMs })}</span> : null}
                      {d.error ? <p className="max-w-xs break-words text-xs text-red-700">{d.error}</p> : null}
                    </Td>
                    <Td>
                      {d.attempts}
                      {d.status === "PENDING" && d.nextAttemptAt ? <p className="text-xs text-slate-600">{t("nextAttempt", { time: when(d.nextAttemptAt) })}</p> : null}
                    </Td>
                    <Td>{when(d.lastAttemptAt ?? d.createdAt)}</Td>
                    <Td className="text-right">
                      {d.status === "PENDING" ? null : (
                        <Button
                          variant="secondary"
                          size="sm"
                          disabled={pending || !w.enabled}
                          aria-label={t("redeliverLabel", { event: d.eventType, time: when(d.createdAt) })}
                          onClick={() =>
                            start(async () => {
                              const r = await actions.redeliver({ deliveryId: d.id });
                              if (r.ok) {
                                toast.success(t("redelivered"));
                                await qc.invalidateQueries({ queryKey: key });
                              } else fail(t("redeliverFailed"), r);
                            })
                          }
                        >
                          {t("redeliver")}
                        </Button>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {data.pageCount > 1 ? <p className="text-xs text-slate-600">{t("pageOf", { page: data.page, count: data.pageCount })}</p> : null}
        </section>
      </div>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
