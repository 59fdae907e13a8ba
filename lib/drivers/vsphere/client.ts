// A small vim25 SOAP client over undici's fetch: the service content, a session (the
// vmware_soap_session cookie, kept alive with a periodic CurrentTime while the client is in
// use and renewed by a new Login when the server answers NotAuthenticated), the property
// collector through ContainerViews, and tasks followed to completion. One client is shared by
// every driver of a provider (session-pool.ts), so concurrent calls share one session.
// Envelopes and parsing live in soap.ts.
import { Agent, fetch } from "undici";
import { timeoutError, transportError } from "../call";
import { DriverError } from "../types";
import {
  at,
  envelope,
  kid,
  kids,
  morOf,
  parseMethodFault,
  faultToDriverError,
  parseObjectContents,
  parseResponse,
  text,
  VimFaultError,
  type MoRef,
  type ObjectContent,
  type XmlFields,
  type XmlValue,
  type XNode,
} from "./soap";
import { filterSpec, retrieveArgs } from "./vim-specs";

export interface VimClientOptions {
  /** The SDK URL, e.g. https://vcenter.example/sdk. */
  url: string;
  username: string;
  password: string;
  /** Accept any TLS certificate (a lab vCenter with a self-signed one). */
  insecure: boolean;
  /** A PEM CA bundle to trust instead of the system's. */
  ca?: string;
  /** The vim25 version announced in SOAPAction (every vCenter since 6.5 accepts "6.5"). */
  apiVersion: string;
  /** A CurrentTime call this often keeps the session from idling out (0: never). */
  keepAliveMs: number;
  /** Sent as User-Agent: vCenter shows it in its session list (who holds this session). */
  userAgent?: string;
}

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  /** The PerformanceManager (statistics); absent on endpoints without one. */
  perfManager?: MoRef;
  about: { fullName?: string; version?: string; apiVersion?: string; apiType?: string; instanceUuid?: string };
}

const SERVICE_INSTANCE: MoRef = { type: "ServiceInstance", value: "ServiceInstance" };
export const SESSION_COOKIE = "vmware_soap_session";

/** Sleeps `ms`, or rejects with TIMEOUT when the signal fires first. */
function sleep(ms: number, signal: AbortSignal, what: string): Promise<void> {
  if (signal.aborted) return Promise.reject(timeoutError(what, signal));
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(timeoutError(what, signal));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Cookies from Set-Cookie headers as name -> value (attributes dropped). */
export function parseSetCookies(headers: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    const first = h.split(";")[0];
    const eq = first.indexOf("=");
    if (eq > 0) out[first.slice(0, eq).trim()] = first.slice(eq + 1).trim();
  }
  return out;
}

export class VimClient {
  readonly #password: string;
  private readonly agent: Agent;
  private readonly cookies = new Map<string, string>();
  private content?: ServiceContent;
  private session?: Promise<void>;
  private keepAliveTimer?: NodeJS.Timeout;
  /** Keep-alive paused: the client is idle in the pool, nobody is using the session. */
  private keepAlivePaused = false;
  private readonly views = new Map<string, MoRef>();
  private closed = false;
  /** Logins sent (a figure for tests and logs: one per session). */
  logins = 0;

  constructor(private readonly opts: VimClientOptions) {
    this.#password = opts.password;
    // The password lives only in the private field, not in an inspectable property.
    this.opts = { ...opts, password: "" };
    this.agent = new Agent({
      connect: { rejectUnauthorized: !opts.insecure, ...(opts.ca ? { ca: opts.ca } : {}) },
      keepAliveTimeout: 30_000,
    });
  }

  get url(): string {
    return this.opts.url;
  }

  /** One SOAP round trip, without a session check. */
  async invoke(method: string, self: MoRef, args: Record<string, XmlValue>, signal: AbortSignal, what: string): Promise<XNode> {
    const body = envelope(method, self, args);
    const headers: Record<string, string> = {
      "content-type": "text/xml; charset=utf-8",
      soapaction: `urn:vim25/${this.opts.apiVersion}`,
      accept: "text/xml",
    };
    if (this.opts.userAgent) headers["user-agent"] = this.opts.userAgent;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let status: number;
    let answer: string;
    let contentType: string;
    try {
      const res = await fetch(this.opts.url, { method: "POST", headers, body, signal, dispatcher: this.agent });
      status = res.status;
      contentType = res.headers.get("content-type") ?? "";
      const set = res.headers.getSetCookie();
      if (set.length) for (const [k, v] of Object.entries(parseSetCookies(set))) this.cookies.set(k, v);
      answer = await res.text();
    } catch (err) {
      // Never echo the request: a Login envelope carries the password.
      throw transportError(err, `vSphere endpoint (${what})`, signal) ?? new DriverError("PROVIDER", `vSphere ${what}: ${(err as Error)?.message ?? "request failed"}`.slice(0, 300), false);
    }
    const looksXml = /xml/i.test(contentType) || answer.trimStart().startsWith("<");
    if (!looksXml || (status !== 200 && status !== 500)) {
      if (status === 401 || status === 403) throw new DriverError("AUTH", `vSphere refused ${what} (HTTP ${status})`, false);
      if (status === 502 || status === 503 || status === 504) throw new DriverError("UNAVAILABLE", `vSphere is unavailable (HTTP ${status}) for ${what}`);
      if (status === 404) throw new DriverError("PROVIDER", `no vSphere SDK at ${this.opts.url} (HTTP 404)`, false);
      if (!looksXml) throw new DriverError("PROVIDER", `vSphere answered ${what} with malformed data (HTTP ${status}, ${contentType || "no content type"})`, false);
    }
    return parseResponse(answer, method, what);
  }

  /** The ServiceInstance's content (fetched once per client). */
  async serviceContent(signal: AbortSignal): Promise<ServiceContent> {
    if (this.content) return this.content;
    const res = await this.invoke("RetrieveServiceContent", SERVICE_INSTANCE, {}, signal, "connect");
    const rv = kid(res, "returnval");
    const need = (name: string) => {
      const m = morOf(kid(rv, name));
      if (!m) throw new DriverError("PROVIDER", `vSphere answered connect without ${name}`, false);
      return m;
    };
    const about = kid(rv, "about");
    this.content = {
      rootFolder: need("rootFolder"),
      propertyCollector: need("propertyCollector"),
      viewManager: need("viewManager"),
      sessionManager: need("sessionManager"),
      perfManager: morOf(kid(rv, "perfManager")),
      about: {
        fullName: text(kid(about, "fullName")),
        version: text(kid(about, "version")),
        apiVersion: text(kid(about, "apiVersion")),
        apiType: text(kid(about, "apiType")),
        instanceUuid: text(kid(about, "instanceUuid")),
      },
    };
    return this.content;
  }

  /** Logs in once (concurrent callers share the attempt); a failed login is not cached. */
  async ensureSession(signal: AbortSignal): Promise<ServiceContent> {
    const sc = await this.serviceContent(signal);
    if (!this.session) {
      const attempt = this.login(sc, signal);
      this.session = attempt;
      attempt.catch(() => {
        if (this.session === attempt) this.session = undefined;
      });
    }
    await this.session;
    return sc;
  }

  private async login(sc: ServiceContent, signal: AbortSignal): Promise<void> {
    if (this.closed) throw new DriverError("PROVIDER", "the vSphere client was closed", false);
    this.cookies.delete(SESSION_COOKIE);
    this.views.clear();
    this.logins++;
    await this.invoke("Login", sc.sessionManager, { userName: this.opts.username, password: this.#password }, signal, "login");
    if (!this.cookies.has(SESSION_COOKIE)) throw new DriverError("PROVIDER", "vSphere accepted the login but set no session cookie", false);
    this.startKeepAlive();
  }

  /** Whether the keep-alive timer is running (for the pool's figures and its tests). */
  get keepAliveRunning(): boolean {
    return this.keepAliveTimer !== undefined;
  }

  private startKeepAlive() {
    if (this.keepAliveTimer || !this.opts.keepAliveMs || this.closed || this.keepAlivePaused || !this.session) return;
    this.keepAliveTimer = setInterval(() => {
      const session = this.session;
      if (!session) return;
      this.invoke("CurrentTime", SERVICE_INSTANCE, {}, AbortSignal.timeout(30_000), "keep-alive").catch((err) => {
        // An expired session is renewed by the next call; nothing to do here.
        if (err instanceof VimFaultError && err.fault.type === "NotAuthenticated") this.forget(session);
      });
    }, this.opts.keepAliveMs);
    // Never what keeps a process alive.
    this.keepAliveTimer.unref();
  }

  private stopKeepAlive() {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }

  /**
   * No one uses the client for now (its pool keeps it for the next operation): stop the
   * keep-alive, so an idle session costs no timer and no traffic; the server may expire it,
   * and the next call then logs in again.
   */
  pauseKeepAlive(): void {
    this.keepAlivePaused = true;
    this.stopKeepAlive();
  }

  /** In use again: keep the session alive while it is. */
  resumeKeepAlive(): void {
    this.keepAlivePaused = false;
    this.startKeepAlive();
  }

  /** Drops `session` as expired, unless a newer login has replaced it already. */
  private forget(session: Promise<void>) {
    if (this.session === session) {
      this.session = undefined;
      this.stopKeepAlive();
    }
  }

  /** A method call in the session; logs in again once when the session has expired. */
  async call(method: string, self: MoRef, args: Record<string, XmlValue>, signal: AbortSignal, what: string): Promise<XNode> {
    await this.ensureSession(signal);
    const session = this.session;
    try {
      return await this.invoke(method, self, args, signal, what);
    } catch (err) {
      if (!(err instanceof VimFaultError && err.fault.type === "NotAuthenticated")) throw err;
      // Calls running at once all see the expiry: one new login serves them all.
      if (session) this.forget(session);
      await this.ensureSession(signal);
      return this.invoke(method, self, args, signal, what);
    }
  }

  /** RetrievePropertiesEx and its continuations: every object the specs select. */
  async retrieve(specs: XmlFields[], signal: AbortSignal, what: string): Promise<ObjectContent[]> {
    const sc = await this.ensureSession(signal);
    const first = await this.call("RetrievePropertiesEx", sc.propertyCollector, retrieveArgs(specs), signal, what);
    let page = parseObjectContents(kid(first, "returnval"));
    const out = [...page.objects];
    while (page.token) {
      const next = await this.call("ContinueRetrievePropertiesEx", sc.propertyCollector, { token: page.token }, signal, what);
      page = parseObjectContents(kid(next, "returnval"));
      out.push(...page.objects);
    }
    return out;
  }

  /** The properties of one object; NOT_FOUND when it does not exist. */
  async properties(obj: MoRef, paths: readonly string[], signal: AbortSignal, what: string): Promise<ObjectContent> {
    const objects = await this.retrieve([filterSpec(obj.type, paths, obj)], signal, what);
    const found = objects.find((o) => o.obj.value === obj.value);
    if (!found) throw new DriverError("NOT_FOUND", `vSphere has no ${obj.type} ${obj.value}`, false);
    return found;
  }

  /** A ContainerView of `types` under `container` (kept for the session, recreated after a new login). */
  async view(container: MoRef, types: string[], signal: AbortSignal): Promise<MoRef> {
    const key = `${container.type}:${container.value}:${types.join(",")}`;
    const sc = await this.ensureSession(signal);
    const cached = this.views.get(key);
    if (cached) return cached;
    const res = await this.call("CreateContainerView", sc.viewManager, { container: { $mor: container }, type: types, recursive: true }, signal, "inventory view");
    const v = morOf(kid(res, "returnval"));
    if (!v) throw new DriverError("PROVIDER", "vSphere answered CreateContainerView without a view", false);
    this.views.set(key, v);
    return v;
  }

  /** Every object of `type` under `container` with the given property paths. */
  async list(container: MoRef, type: string, paths: readonly string[], signal: AbortSignal, what: string): Promise<ObjectContent[]> {
    const v = await this.view(container, [type], signal);
    try {
      return await this.retrieve([filterSpec(type, paths, v)], signal, what);
    } catch (err) {
      // The view vanished (destroyed on the server): make a new one once.
      if (!(err instanceof DriverError && err.code === "NOT_FOUND")) throw err;
      for (const [k, cached] of this.views) if (cached.value === v.value) this.views.delete(k);
      const again = await this.view(container, [type], signal);
      return this.retrieve([filterSpec(type, paths, again)], signal, what);
    }
  }

  /** Follows a task until it succeeds (its result) or fails (a mapped DriverError). */
  async waitTask(task: MoRef, signal: AbortSignal, what: string): Promise<XNode | undefined> {
    let delay = 25;
    for (;;) {
      const t = await this.properties(task, ["info.state", "info.error", "info.result"], signal, what);
      const state = text(t.props["info.state"]);
      if (state === "success") return t.props["info.result"];
      if (state === "error") {
        const error = t.props["info.error"];
        if (!error) throw new DriverError("PROVIDER", `vSphere ${what} failed without a reason`, false);
        throw faultToDriverError(parseMethodFault(error), what);
      }
      if (state !== "queued" && state !== "running") throw new DriverError("PROVIDER", `vSphere answered ${what} with task state "${state ?? "none"}"`, false);
      await sleep(delay, signal, `vSphere ${what}`);
      delay = Math.min(delay * 2, 1_000);
    }
  }

  /** Starts a *_Task method and follows it. */
  async runTask(method: string, self: MoRef, args: Record<string, XmlValue>, signal: AbortSignal, what: string): Promise<XNode | undefined> {
    const res = await this.call(method, self, args, signal, what);
    const task = morOf(kid(res, "returnval"));
    if (!task) throw new DriverError("PROVIDER", `vSphere answered ${what} without a task`, false);
    return this.waitTask(task, signal, what);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends the session (best effort) and releases the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopKeepAlive();
    if (this.session && this.content) {
      const sc = this.content;
      await this.session
        .then(() => this.invoke("Logout", sc.sessionManager, {}, AbortSignal.timeout(5_000), "logout"))
        .catch(() => {});
    }
    this.session = undefined;
    // Destroy, not close: a call still running (a keep-alive) must not hold the connections.
    await this.agent.destroy().catch(() => {});
  }
}

// Re-exported for the driver: reading nested values of ObjectContent props.
export { at, kid, kids, text };
