import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card, CardBody, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { StackEditor } from "@/components/stacks/stack-editor";
import { DriftBadge, StackStatusBadge } from "@/components/stacks/stack-status";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { listStacks } from "@/lib/stacks/read-stacks";
import { env } from "@/lib/env";
import { saveStackAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("stacks");
  return { title: t("title") };
}

const STARTER = `apiVersion: orquestra/v1
kind: Stack
metadata:
  name: shop
  project: web-platform
parameters:
  webCount:
    type: integer
    default: 2
machines:
  - name: shop-db
    offering: Large SSD
    template: Ubuntu 24.04 LTS
    lease: 60d
  - name: shop-web
    offering: Small SSD
    template: Ubuntu 24.04 LTS
    count: \${params.webCount}
    dependsOn: [shop-db]
    lease: 60d
outputs:
  database: \${machines.shop-db.ip}
  web: \${machines.shop-web.ips}
healing: auto
`;

async function StacksPage() {
  const list = await guardPage(async () => listStacks(await pageContext(), {}));
  const t = await getTranslations("stacks");
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <div className="flex flex-wrap gap-4">
            <Link href="/stacks/export" className="text-sm font-medium text-indigo-700 hover:underline">
              {t("exportLink")}
            </Link>
            <a href="/api/v1/stacks/schema.json" className="text-sm font-medium text-indigo-700 hover:underline">
              {t("schemaLink")}
            </a>
          </div>
        }
      />
      {list.items.length ? (
        <Table className="mb-6">
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("project")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("drift")}</Th>
              <Th>{t("machines")}</Th>
              <Th>{t("healing")}</Th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((s) => (
              <tr key={s.id}>
                <Td>
                  <Link href={`/stacks/${s.id}`} className="font-medium text-indigo-700 hover:underline">
                    {s.name}
                  </Link>
                </Td>
                <Td>{s.projectName}</Td>
                <Td>
                  <StackStatusBadge status={s.status} />
                </Td>
                <Td>
                  <DriftBadge drift={s.drift} paused={s.healingPaused} />
                </Td>
                <Td>{s.machineCount}</Td>
                <Td>{s.healing}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title={t("title")} description={t("empty")} />
      )}
      <Card>
        <CardBody>
          <h2 className="mb-2 text-lg font-semibold">{t("newStack")}</h2>
          <StackEditor initialYaml={STARTER} currency={env().ORQ_CURRENCY} saveAction={saveStackAction} />
        </CardBody>
      </Card>
    </>
  );
}

export default withMessages(["stacks"], StacksPage);
