"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { setNonce } from "get-nonce";
import { useTranslations } from "next-intl";

export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  // Dialogs (react-remove-scroll) insert a <style>; get-nonce gives it this page's CSP nonce.
  // The first nonce, the one this document's policy holds: a refresh (router.refresh(), a server
  // action's revalidation) renders the layout again with a new request's nonce, which this
  // document's policy does not know; the state keeps the first.
  const [documentNonce] = useState(nonce);
  const t = useTranslations("common");
  if (documentNonce && typeof document !== "undefined") setNonce(documentNonce);
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      {children}
      {/* Bottom right: the header (Sign out, the bell, the language) stays reachable. */}
      <Toaster richColors position="bottom-right" closeButton containerAriaLabel={t("toastRegion")} />
    </QueryClientProvider>
  );
}
