"use client";
import { useQuery, type QueryKey } from "@tanstack/react-query";

/** Poll intervals shared by every live view: fast while something is in progress, slow otherwise. */
export const LIVE_FAST_MS = 2_500;
export const LIVE_SLOW_MS = 15_000;

/**
 * The one mechanism for live views: a react-query poll that speeds up while `busy(data)` is true
 * (an operation running, a request pending) and slows down otherwise. Polling stops while the tab
 * is hidden (react-query's default) and resumes on focus. Use it for every list or page that
 * should update by itself, instead of a bespoke `refetchInterval`.
 */
export function useLiveQuery<T>(options: {
  queryKey: QueryKey;
  queryFn: () => Promise<T>;
  initialData?: T;
  busy?: (data: T) => boolean;
  fastMs?: number;
  slowMs?: number;
  enabled?: boolean;
}) {
  const { busy, fastMs = LIVE_FAST_MS, slowMs = LIVE_SLOW_MS, ...rest } = options;
  return useQuery<T>({
    ...rest,
    ...(options.initialData === undefined ? {} : { initialData: options.initialData }),
    refetchInterval: (q) => {
      const data = q.state.data as T | undefined;
      return data !== undefined && busy?.(data) ? fastMs : slowMs;
    },
  });
}
