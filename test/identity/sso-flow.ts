// Walks a real single sign-on through HTTP, as a browser would: the portal's Auth.js handlers
// (called in-process with the portal's own configuration) and the test identity provider
// (over loopback), following every redirect and filling in the provider's login form.
import { CookieJar } from "./browser-jar";

export type AuthHandler = (req: Request) => Promise<Response>;

export interface SsoResult {
  /** Where the portal sent the browser at the end (a path with query). */
  landedAt: string;
  /** The portal's cookies after the flow (the session cookie when it succeeded). */
  portal: CookieJar;
  /** The IdP's login page HTML, as served. */
  loginPage: string;
}

export async function ssoSignIn(opts: {
  handler: AuthHandler;
  portalBase: string;
  username: string;
  password: string;
  callbackUrl?: string;
  /** The portal's jar (sessions of an earlier flow); a fresh one by default. */
  portal?: CookieJar;
}): Promise<SsoResult> {
  const portal = opts.portal ?? new CookieJar();
  const idp = new CookieJar();
  const call = async (url: string, init: RequestInit = {}) => {
    const res = await opts.handler(new Request(url, { ...init, headers: { ...(init.headers ?? {}), cookie: portal.header(), "user-agent": "sso-flow-test" } }));
    portal.store(res);
    return res;
  };

  const csrf = (await (await call(`${opts.portalBase}/api/auth/csrf`)).json()) as { csrfToken: string };
  const start = await call(`${opts.portalBase}/api/auth/signin/oidc`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: opts.callbackUrl ?? "/dashboard" }).toString(),
  });
  let location = start.headers.get("location");
  if (start.status !== 302 || !location) throw new Error(`sign-in did not redirect to the IdP: ${start.status} ${await start.text()}`);

  let loginPage = "";
  // Walk the IdP until it sends us back to the portal.
  for (let hop = 0; hop < 15 && location && !location.startsWith(opts.portalBase); hop++) {
    const res: Response = await fetch(location, { redirect: "manual", headers: { cookie: idp.header() } });
    idp.store(res);
    if (res.status >= 300 && res.status < 400) {
      location = new URL(res.headers.get("location")!, location).toString();
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the IdP answered ${res.status} without a login form: ${html.slice(0, 300)}`);
    loginPage = html;
    const post: Response = await fetch(new URL(action, location), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: idp.header(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: opts.username, password: opts.password }).toString(),
    });
    idp.store(post);
    if (post.status === 200) throw new Error(`the IdP refused the login: ${(await post.text()).replace(/<[^>]+>/g, " ").slice(0, 200)}`);
    location = new URL(post.headers.get("location")!, location).toString();
  }
  if (!location?.startsWith(opts.portalBase)) throw new Error(`never came back to the portal (at ${location})`);

  // The callback: code exchange, ID token and userinfo checks, our provisioning, the session.
  const back = await call(location);
  const landed = back.headers.get("location") ?? "";
  return { landedAt: landed.startsWith(opts.portalBase) ? landed.slice(opts.portalBase.length) : landed, portal, loginPage };
}
