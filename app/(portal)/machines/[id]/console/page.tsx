import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getConsoleInfo } from "@/lib/console/issue-ticket";
import { consoleTicketSchema } from "@/lib/console/schemas";
import { ConsoleView } from "@/components/console/console-view";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("console");
  return { title: t("panel.title") };
}

async function MachineConsolePage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = consoleTicketSchema.safeParse({ machineId: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  const info = await guardPage(() => getConsoleInfo(ctx, parsed.data));
  const t = await getTranslations("console");
  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href={`/machines/${info.machineId}`} className="text-indigo-700 hover:underline">
          ← {t("back", { name: info.name })}
        </Link>
      </nav>
      <h1 className="mb-4 text-2xl font-semibold text-slate-900">{t("title", { name: info.name })}</h1>
      {info.unavailable || !info.kind ? (
        <p role="status" className="rounded-md border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
          {t(`panel.${info.unavailable ?? "unsupported"}`)}
        </p>
      ) : (
        <ConsoleView machineId={info.machineId} name={info.name} kind={info.kind} />
      )}
    </>
  );
}

export default withMessages(["console"], MachineConsolePage);
