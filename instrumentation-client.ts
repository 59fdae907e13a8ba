// Runs in the browser before the application's own modules (Next.js instrumentation-client).
// Under the Content-Security-Policy (no eval), zod must not compile validators with
// `new Function`: even its guarded probe for eval is reported as a CSP violation. Zod
// decides when each object schema is built, so this has to happen before any schema module
// loads.
import { z } from "zod";

z.config({ jitless: true });
