"use client";
import { useFormatter, useTranslations } from "next-intl";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { OperationView } from "@/lib/machines/views";
import { PlacementLine } from "@/components/costs/placement-line";

const TONE: Record<OperationView["status"], BadgeTone> = { QUEUED: "gray", RUNNING: "blue", SUCCEEDED: "green", FAILED: "red", CANCELLED: "gray" };

/** Who did what, when, how many attempts, and how it ended: newest first. */
export function OperationTimeline({ operations }: { operations: OperationView[] }) {
  const t = useTranslations("machines");
  const to = useTranslations("ops");
  const format = useFormatter();
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("history.title")}</h2>
      </CardHeader>
      <CardBody>
        {operations.length === 0 ? (
          <p className="text-sm text-slate-600">{t("history.empty")}</p>
        ) : (
          <ol className="relative space-y-4 border-l border-slate-200 pl-5">
            {operations.map((op) => (
              <li key={op.id} className="relative">
                <span aria-hidden className="absolute -left-[27px] top-1.5 h-3 w-3 rounded-full border-2 border-white bg-slate-400 ring-1 ring-slate-300" />
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">{t(`kinds.${op.kind}`)}</span>
                  <Badge tone={TONE[op.status]}>{t(`opStatus.${op.status}`)}</Badge>
                  <span className="text-xs text-slate-600">{op.requestedBy ? t("history.by", { name: op.requestedBy }) : t("history.system")}</span>
                  {op.retryOfId ? <span className="text-xs text-slate-600">({to("retryOf")})</span> : null}
                </div>
                <p className="mt-0.5 text-xs text-slate-600">
                  <time dateTime={op.createdAt}>{t("history.requestedAt", { date: format.dateTime(new Date(op.createdAt), "long") })}</time>
                  {op.finishedAt ? (
                    <>
                      {" · "}
                      <time dateTime={op.finishedAt}>{t("history.finishedAt", { date: format.dateTime(new Date(op.finishedAt), "long") })}</time>
                    </>
                  ) : null}
                  {" · "}
                  {t("history.attempts", { attempts: op.attempts })}
                </p>
                {op.placement ? <PlacementLine placement={op.placement} /> : null}
                {op.error ? <p className="mt-1 text-sm text-red-800">{t("history.error", { error: op.error })}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </CardBody>
    </Card>
  );
}
