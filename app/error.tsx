"use client";
import { useTranslations } from "next-intl";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common");
  return (
    <main className="mx-auto max-w-md px-4 py-24 text-center">
      <h1 className="text-2xl font-semibold">{t("errorTitle")}</h1>
      <p className="mt-2 text-slate-600">{t("errorBody", { ref: error.digest ?? "-" })}</p>
      <button className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-white" onClick={reset}>
        {t("retry")}
      </button>
    </main>
  );
}
