"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { setNonce } from "get-nonce";

export function Providers({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  // Dialogs (react-remove-scroll) insert a <style>; get-nonce gives it this page's CSP nonce.
  if (nonce && typeof document !== "undefined") setNonce(nonce);
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: 1 } } }),
  );
  return (
    <QueryClientProvider client={client}>
      {children}
      <Toaster richColors position="top-right" closeButton />
    </QueryClientProvider>
  );
}
