import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { assertCan } from "@/lib/auth/permissions";
import { kindsWithDriver } from "@/lib/providers/kinds-with-driver";
import { PageHeader } from "@/components/ui/card";
import { ProviderForm } from "@/components/providers/provider-form";
import { createProviderAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("providers"))("newProvider") };
}

async function NewProviderPage() {
  const ctx = await pageContext();
  await guardPage(async () => assertCan(ctx.actor, "provider.manage"));
  const t = await getTranslations("providers");
  return (
    <>
      <Link href="/admin/providers" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader title={t("newProvider")} description={t("newDescription")} />
      <ProviderForm
        kindsWithDriver={kindsWithDriver()}
        save={createProviderAction}
        defaultValues={{
          name: "",
          kind: "DOCKER",
          endpoint: "",
          credentials: {},
          config: {},
          cpuOvercommit: 4,
          memoryOvercommit: 1,
          diskOvercommit: 1,
          placementPolicy: "SPREAD",
          metricsIntervalSeconds: 60,
          clearCredentials: false,
        }}
      />
    </>
  );
}

export default withMessages("all", NewProviderPage);
