// Auth.js's endpoints. A password posted straight to the credentials callback (not through
// the sign-in form) meets the same limits inside authorize(); here an address already over
// its sign-in limit gets a real 429 with Retry-After before any work is done.
import { handlers } from "@/lib/auth/auth";
import { onlyMethods } from "@/lib/api/handler";
import { signInThrottle } from "@/lib/auth/sign-in-throttle";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: (req: Request) => handlers.GET(req as never),
  POST: async (req: Request) => {
    if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
      const throttled = await signInThrottle(req.headers);
      if (throttled) return throttled;
    }
    return handlers.POST(req as never);
  },
});
