"use client";
// Keeps the (server-rendered) dashboard up to date: polls what it shows through the shared live
// hook and re-renders the page when that changed.
import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";
import { useLiveQuery } from "@/components/live/use-live-query";
import { fetchJson } from "@/components/machines/client-utils";

export function LiveDashboard() {
  const router = useRouter();
  const { data } = useLiveQuery<unknown>({ queryKey: ["dashboard"], queryFn: () => fetchJson<unknown>("/api/dashboard") });
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (data === undefined) return;
    const next = JSON.stringify(data);
    if (seen.current !== null && seen.current !== next) router.refresh();
    seen.current = next;
  }, [data, router]);
  return null;
}
