import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listMySshKeys } from "@/lib/access/list-my-ssh-keys";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { AddSshKeyForm } from "@/components/access/add-ssh-key-form";
import { DeleteSshKeyButton } from "@/components/access/delete-ssh-key-button";
import { addSshKeyAction, deleteSshKeyAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("access"))("title") };
}

async function SshKeysPage() {
  const keys = await guardPage(async () => listMySshKeys(await pageContext()));
  const t = await getTranslations("access");
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        <Card aria-labelledby="add-ssh-key">
          <CardHeader>
            <h2 id="add-ssh-key" className="text-base font-semibold">
              {t("addTitle")}
            </h2>
          </CardHeader>
          <CardBody>
            <AddSshKeyForm action={addSshKeyAction} />
          </CardBody>
        </Card>
        <section aria-labelledby="ssh-key-list" className="space-y-3">
          <h2 id="ssh-key-list" className="text-base font-semibold">
            {t("listTitle")}
          </h2>
          {keys.length === 0 ? (
            <EmptyState title={t("empty")} />
          ) : (
            <Table aria-label={t("listLabel")}>
              <thead>
                <tr>
                  <Th>{t("name")}</Th>
                  <Th>{t("type")}</Th>
                  <Th>{t("fingerprint")}</Th>
                  <Th>{t("createdAt")}</Th>
                  <Th>
                    <span className="sr-only">{t("actions")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.map((k) => (
                  <tr key={k.id}>
                    <Td className="font-medium">
                      {k.name}
                      {k.comment ? <span className="block text-xs font-normal text-slate-600">{k.comment}</span> : null}
                    </Td>
                    <Td>
                      <code className="font-mono text-xs">{k.type}</code>
                    </Td>
                    <Td>
                      <code className="font-mono text-xs break-all">{k.fingerprint}</code>
                    </Td>
                    <Td>{format.dateTime(k.createdAt, "long")}</Td>
                    <Td className="text-right">
                      <DeleteSshKeyButton keyId={k.id} name={k.name} action={deleteSshKeyAction} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      </div>
    </>
  );
}

export default withMessages("all", SshKeysPage);
