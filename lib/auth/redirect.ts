// Where to send the browser after sign-in. Only same-origin paths survive: the value is
// resolved with the WHATWG URL parser (the one browsers use, which drops tabs and newlines
// and reads "\" as "/"), so "/\t/evil.example", "/\\evil.example", "//evil.example" and
// "https://evil.example" all resolve to another origin and are refused. The result is
// rebuilt from the parsed path, query and fragment, and never starts with "//".
const BASE = "http://orquestra.invalid";
export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

export function safeCallbackPath(target: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof target !== "string" || target === "" || target.length > 2000) return fallback;
  // Only paths: an absolute URL, even to our own origin, is not needed and not accepted.
  if (!target.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const out = `${url.pathname}${url.search}${url.hash}`;
  if (!out.startsWith("/") || out.startsWith("//") || out.startsWith("/\\")) return fallback;
  // Sign-in pages and Auth.js endpoints are not destinations.
  if (url.pathname === "/login" || url.pathname.startsWith("/api/auth/")) return fallback;
  return out;
}
