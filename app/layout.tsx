import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { Providers } from "@/components/layout/providers";
import { SHELL_NAMESPACES, pickMessages } from "@/i18n/namespaces";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return { title: { default: "Orquestra", template: "%s · Orquestra" }, description: t("tagline") };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const locale = await getLocale();
  // The shell's namespaces only: each page adds its own (components/layout/page-messages.tsx).
  const messages = pickMessages(await getMessages(), SHELL_NAMESPACES);
  // The CSP nonce proxy.ts made for this page, for libraries that insert <style> elements.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <NextIntlClientProvider locale={locale} messages={messages}>
          <Providers nonce={nonce}>{children}</Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
