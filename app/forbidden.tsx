import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function Forbidden() {
  const t = await getTranslations("common");
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">{t("forbiddenTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("forbiddenBody")}</p>
      <Link className="mt-6 inline-block text-indigo-700 underline" href="/catalog">
        {t("backHome")}
      </Link>
    </main>
  );
}
