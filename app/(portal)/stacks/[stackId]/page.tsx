import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card, CardBody, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { StackEditor } from "@/components/stacks/stack-editor";
import { DriftBadge, StackStatusBadge } from "@/components/stacks/stack-status";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { diffStackVersions, getStack } from "@/lib/stacks/read-stacks";
import { env } from "@/lib/env";
import { applyStackAction, destroyStackAction, planStackAction, saveStackAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("stacks");
  return { title: t("title") };
}

type Params = Promise<{ stackId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

async function StackPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { stackId } = await params;
  const sp = await searchParams;
  const diffTo = Number(Array.isArray(sp.diff) ? sp.diff[0] : sp.diff);
  const stack = await guardPage(async () => getStack(await pageContext(), { stackId }));
  const diff = Number.isInteger(diffTo) && diffTo > 1 ? await guardPage(async () => diffStackVersions(await pageContext(), { stackId, from: diffTo - 1, to: diffTo })) : null;
  const t = await getTranslations("stacks");
  const format = await getFormatter();
  const rollback = async (formData: FormData) => {
    "use server";
    await applyStackAction({ stackId, versionId: String(formData.get("versionId")) });
  };
  return (
    <>
      <PageHeader
        title={`${stack.name} · ${stack.projectName}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <StackStatusBadge status={stack.status} />
            <DriftBadge drift={stack.drift} paused={stack.healingPaused} />
            {stack.statusReason ? <span data-testid="stack-reason">{stack.statusReason}</span> : null}
          </span>
        }
        actions={
          <Link href="/stacks" className="text-sm font-medium text-indigo-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardBody>
            <StackEditor
              stackId={stack.id}
              initialYaml={stack.yaml}
              currency={env().ORQ_CURRENCY}
              saveAction={saveStackAction}
              planAction={planStackAction}
              applyAction={applyStackAction}
              destroyAction={destroyStackAction}
            />
          </CardBody>
        </Card>
        <div className="space-y-4">
          <Card>
            <CardBody>
              <h2 className="mb-2 text-lg font-semibold">{t("outputs")}</h2>
              {Object.keys(stack.outputs).length ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="stack-outputs">
                  {Object.entries(stack.outputs).map(([k, v]) => (
                    <div key={k} className="contents">
                      <dt className="font-medium">{k}</dt>
                      <dd className="font-mono">{v}</dd>
                    </div>
                  ))}
                </dl>
              ) : (
                <p className="text-sm text-slate-600">{t("noOutputs")}</p>
              )}
              {stack.drift.length ? (
                <ul className="mt-3 list-disc pl-5 text-sm text-amber-900">
                  {stack.drift.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
              ) : null}
            </CardBody>
          </Card>
          <Card>
            <CardBody>
              <h2 className="mb-2 text-lg font-semibold">{t("machines")}</h2>
              <Table>
                <thead>
                  <tr>
                    <Th>{t("machine")}</Th>
                    <Th>{t("group")}</Th>
                    <Th>{t("machineState")}</Th>
                    <Th>{t("ip")}</Th>
                  </tr>
                </thead>
                <tbody>
                  {stack.machines.map((m) => (
                    <tr key={m.id}>
                      <Td>
                        <Link href={`/machines/${m.id}`} className="text-indigo-700 hover:underline">
                          {m.name}
                        </Link>
                      </Td>
                      <Td>{m.group}</Td>
                      <Td>{m.state}{m.driftReason ? ` (${m.driftReason})` : ""}</Td>
                      <Td className="font-mono">{m.ipAddress ?? "—"}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </CardBody>
          </Card>
          {stack.workloads.length ? (
            <Card>
              <CardBody>
                <h2 className="mb-2 text-lg font-semibold">{t("workloads")}</h2>
                <Table>
                  <thead>
                    <tr>
                      <Th>{t("workload")}</Th>
                      <Th>{t("machineState")}</Th>
                      <Th>{t("image")}</Th>
                      <Th>{t("replicas")}</Th>
                    </tr>
                  </thead>
                  <tbody>
                    {stack.workloads.map((w) => (
                      <tr key={w.id}>
                        <Td>
                          <Link href={`/workloads/${w.id}`} className="text-indigo-700 hover:underline">
                            {w.name}
                          </Link>
                        </Td>
                        <Td>{w.state}</Td>
                        <Td className="font-mono">{w.image}</Td>
                        <Td>{w.replicas}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              </CardBody>
            </Card>
          ) : null}
          <Card>
            <CardBody>
              <h2 className="mb-2 text-lg font-semibold">{t("history")}</h2>
              <Table>
                <thead>
                  <tr>
                    <Th>{t("version")}</Th>
                    <Th>{t("created")}</Th>
                    <Th>{t("applied")}</Th>
                    <Th>
                      <span className="sr-only">{t("diffPrevious")}</span>
                    </Th>
                  </tr>
                </thead>
                <tbody>
                  {stack.versions.map((v) => (
                    <tr key={v.id}>
                      <Td>{v.number}</Td>
                      <Td>{format.dateTime(new Date(v.createdAt), { dateStyle: "short", timeStyle: "short" })}</Td>
                      <Td>{v.appliedAt ? format.dateTime(new Date(v.appliedAt), { dateStyle: "short", timeStyle: "short" }) : t("notApplied")}</Td>
                      <Td className="space-x-2">
                        {v.number > 1 ? (
                          <Link href={`/stacks/${stack.id}?diff=${v.number}`} className="text-sm text-indigo-700 hover:underline">
                            {t("diffPrevious")}
                          </Link>
                        ) : null}
                        {v.number !== stack.appliedVersion ? (
                          <form action={rollback} className="inline">
                            <input type="hidden" name="versionId" value={v.id} />
                            <Button type="submit" size="sm" variant="ghost">
                              {t("rollback")}
                            </Button>
                          </form>
                        ) : null}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <h3 className="mt-4 mb-1 font-medium">{t("activity")}</h3>
              {stack.activity.length ? (
                <ol className="space-y-1 text-sm" data-testid="stack-activity">
                  {stack.activity.map((a) => {
                    const key = `activityKinds.${a.action.replace(/^stack\./, "")}`;
                    return (
                      <li key={a.id}>
                        <time dateTime={a.at} className="text-slate-600">
                          {format.dateTime(new Date(a.at), { dateStyle: "short", timeStyle: "medium" })}
                        </time>{" "}
                        <span className="font-medium">{t.has(key) ? t(key as "activityKinds.apply") : a.action}</span>
                        {a.actor ? <span className="text-slate-600"> · {a.actor}</span> : null}
                        {a.detail ? <span>: {a.detail}</span> : null}
                      </li>
                    );
                  })}
                </ol>
              ) : (
                <p className="text-sm text-slate-600">{t("noActivity")}</p>
              )}
              {diff ? (
                <div className="mt-3">
                  <h3 className="font-medium">{t("diffTitle", { from: diff.from, to: diff.to })}</h3>
                  <pre className="mt-1 overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="stack-diff">
                    {diff.lines.map((l, i) => (
                      <div key={i} className={l.op === "+" ? "bg-green-50 text-green-900" : l.op === "-" ? "bg-red-50 text-red-900" : undefined}>
                        {l.op} {l.text}
                      </div>
                    ))}
                  </pre>
                </div>
              ) : null}
            </CardBody>
          </Card>
        </div>
      </div>
    </>
  );
}

export default withMessages(["stacks"], StackPage);
