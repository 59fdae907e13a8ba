import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import { SHELL_NAMESPACES, pickMessages } from "@/i18n/namespaces";

/**
 * A page whose client components get the shell's namespaces plus `namespaces` ("all": the
 * whole catalogue, for pages with forms that translate keys the server sends from any
 * namespace). The root layout gives only the shell's; i18n/page-messages.test.ts fails when a
 * page's client components use a namespace its list lacks.
 */
export function withMessages<P extends object>(namespaces: readonly string[] | "all", Page: (props: P) => React.ReactNode | Promise<React.ReactNode>) {
  async function PageWithMessages(props: P) {
    const messages = pickMessages(await getMessages(), namespaces === "all" ? "all" : [...SHELL_NAMESPACES, ...namespaces]);
    return <NextIntlClientProvider messages={messages}>{await Page(props)}</NextIntlClientProvider>;
  }
  return PageWithMessages;
}
