import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listApiTokens } from "@/lib/apitokens/list-api-tokens";
import { MAX_TOKEN_DAYS } from "@/lib/apitokens/schemas";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { CreateTokenForm } from "@/components/settings/create-token-form";
import { RevokeTokenButton } from "@/components/settings/revoke-token-button";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("settings.tokens");
  return { title: t("title") };
}

const TONES = { ACTIVE: "green", EXPIRED: "yellow", REVOKED: "gray" } as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

async function ApiTokensPage() {
  const tokens = await guardPage(async () => listApiTokens(await pageContext()));
  const t = await getTranslations("settings.tokens");
  const format = await getFormatter();
  const now = new Date();
  const minDate = day(new Date(now.getTime() + 86_400_000));
  const maxDate = day(new Date(now.getTime() + MAX_TOKEN_DAYS * 86_400_000));
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          <Link href="/docs/api" className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline">
            {t("docsLink")}
          </Link>
        }
      />
      <div className="space-y-6">
        <Card aria-labelledby="create-token">
          <CardHeader>
            <h2 id="create-token" className="text-base font-semibold">
              {t("createTitle")}
            </h2>
          </CardHeader>
          <CardBody>
            <CreateTokenForm action={createApiTokenAction} minDate={minDate} maxDate={maxDate} />
          </CardBody>
        </Card>
        <section aria-labelledby="token-list" className="space-y-3">
          <h2 id="token-list" className="text-base font-semibold">
            {t("listTitle")}
          </h2>
          {tokens.length === 0 ? (
            <EmptyState title={t("empty")} />
          ) : (
            <Table aria-label={t("listLabel")}>
              <thead>
                <tr>
                  <Th>{t("name")}</Th>
                  <Th>{t("prefix")}</Th>
                  <Th>{t("status")}</Th>
                  <Th>{t("createdAt")}</Th>
                  <Th>{t("lastUsed")}</Th>
                  <Th>{t("expires")}</Th>
                  <Th>
                    <span className="sr-only">{t("actions")}</span>
                  </Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((tok) => (
                  <tr key={tok.id}>
                    <Td className="font-medium">{tok.name}</Td>
                    <Td>
                      <code className="font-mono text-xs">{tok.prefix}_…</code>
                    </Td>
                    <Td>
                      <Badge tone={TONES[tok.status]}>{t(`statuses.${tok.status}`)}</Badge>
                    </Td>
                    <Td>{format.dateTime(tok.createdAt, "long")}</Td>
                    <Td>{tok.lastUsedAt ? format.dateTime(tok.lastUsedAt, "long") : t("never")}</Td>
                    <Td>{tok.expiresAt ? format.dateTime(tok.expiresAt, "short") : t("noExpiry")}</Td>
                    <Td className="text-right">
                      {tok.status === "REVOKED" ? null : <RevokeTokenButton tokenId={tok.id} name={tok.name} action={revokeApiTokenAction} />}
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

export default withMessages("all", ApiTokensPage);
