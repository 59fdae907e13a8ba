// A WinRM (WS-Management) client that runs PowerShell scripts: one remote shell per script
// (Create, Command, Receive until done, Signal terminate, Delete), the script passed as
// `powershell.exe -EncodedCommand` (UTF-16LE base64, so no quoting reaches cmd.exe), over HTTPS
// with NTLMv2 (ntlm.ts) or Basic. NTLM authenticates a connection, so the client keeps one
// keep-alive connection (an undici Client, no pipelining) and answers a 401 with the handshake
// on it; scripts of one client run one after the other.
// Envelopes follow MS-WSMV (the shell resource of WinRM); what each answer must hold is checked
// and anything else is a PROVIDER error (a proxy page, another service on the port).
import { randomUUID } from "node:crypto";
import { XMLParser } from "fast-xml-parser";
import { Client } from "undici";
import { deadline, timeoutError, transportError } from "../call";
import { DriverError, type CallOptions } from "../types";
import { authenticateMessage, negotiateMessage, parseChallenge } from "./ntlm";

const NS = {
  s: "http://www.w3.org/2003/05/soap-envelope",
  wsa: "http://schemas.xmlsoap.org/ws/2004/08/addressing",
  wsman: "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
  rsp: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
};
const SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd";
const ACTION = {
  create: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
  delete: "http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete",
  command: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command",
  receive: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive",
  signal: "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal",
};
const DONE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done";
const TERMINATE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";
/** WS-Man fault code of a Receive that waited its OperationTimeout without output: ask again. */
const RECEIVE_TIMED_OUT = "2150858793";
/** CreateProcess' command line limit, with room for the executable and its switches. */
const MAX_ENCODED = 32_000;

export interface WinrmOptions {
  /** https://host:5986/wsman (http only on loopback, for a test endpoint). */
  endpoint: string;
  username: string;
  password: string;
  authentication: "ntlm" | "basic";
  /** PEM of the CA that issued the listener's certificate (else the system's CAs). */
  ca?: string;
  /** Deadline of one call when the caller gives none. */
  callTimeoutMs: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", removeNSPrefix: true, parseTagValue: false, trimValues: true });

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** `powershell.exe ... -EncodedCommand <UTF-16LE base64>`: the script reaches PowerShell byte for byte. */
export function encodedCommand(script: string): string {
  const b64 = Buffer.from(script, "utf16le").toString("base64");
  if (b64.length > MAX_ENCODED) throw new DriverError("PROVIDER", `the PowerShell script is too long for one command (${b64.length} encoded characters)`, false);
  return `powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ${b64}`;
}

/** A WS-Man request envelope. */
export function envelope(o: { to: string; action: string; shellId?: string; options?: Record<string, string>; timeoutS: number; body: string }): string {
  const selector = o.shellId ? `<wsman:SelectorSet><wsman:Selector Name="ShellId">${esc(o.shellId)}</wsman:Selector></wsman:SelectorSet>` : "";
  const options = o.options
    ? `<wsman:OptionSet>${Object.entries(o.options)
        .map(([k, v]) => `<wsman:Option Name="${esc(k)}">${esc(v)}</wsman:Option>`)
        .join("")}</wsman:OptionSet>`
    : "";
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<s:Envelope xmlns:s="${NS.s}" xmlns:wsa="${NS.wsa}" xmlns:wsman="${NS.wsman}" xmlns:rsp="${NS.rsp}">` +
    `<s:Header>` +
    `<wsa:To>${esc(o.to)}</wsa:To>` +
    `<wsman:ResourceURI s:mustUnderstand="true">${SHELL_URI}</wsman:ResourceURI>` +
    `<wsa:ReplyTo><wsa:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:Address></wsa:ReplyTo>` +
    `<wsa:Action s:mustUnderstand="true">${o.action}</wsa:Action>` +
    `<wsman:MaxEnvelopeSize s:mustUnderstand="true">512000</wsman:MaxEnvelopeSize>` +
    `<wsa:MessageID>uuid:${randomUUID().toUpperCase()}</wsa:MessageID>` +
    `<wsman:Locale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<wsman:OperationTimeout>PT${o.timeoutS}S</wsman:OperationTimeout>` +
    selector +
    options +
    `</s:Header><s:Body>${o.body}</s:Body></s:Envelope>`
  );
}

type Node = Record<string, unknown>;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string => (typeof v === "string" ? v : v && typeof v === "object" && "#text" in v ? String((v as Node)["#text"]) : "");

/** The first element named `key` anywhere under `node` (WinRM puts it under Body; some servers not). */
function findKey(node: unknown, key: string, depth = 0): unknown {
  if (!node || typeof node !== "object" || depth > 8) return undefined;
  const n = node as Node;
  if (key in n) return n[key];
  for (const [k, v] of Object.entries(n)) {
    if (k.startsWith("@")) continue;
    for (const child of asArray(v as Node | Node[])) {
      const found = findKey(child, key, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function parseEnvelope(body: string): Node | null {
  if (!body.trim()) return null;
  try {
    const doc = xml.parse(body) as Node;
    const env = doc.Envelope as Node | undefined;
    return env && typeof env === "object" ? env : null;
  } catch {
    return null;
  }
}

/** A WS-Man fault's code and message ("" when the body is no fault). */
function faultOf(env: Node | null): { code: string; message: string } | null {
  const fault = (env?.Body as Node | undefined)?.Fault as Node | undefined;
  if (!fault) return null;
  const detail = ((fault.Detail as Node | undefined)?.WSManFault as Node | undefined) ?? {};
  const code = String(detail["@Code"] ?? "");
  const message = textOf((detail.Message as Node | undefined)?.ProviderFault ?? detail.Message) || textOf(((fault.Reason as Node | undefined)?.Text as Node) ?? "");
  return { code, message: message.replace(/\s+/g, " ").trim() };
}

type Headers = Record<string, string | string[] | undefined>;

export class WinrmClient {
  private client: Client | undefined;
  private readonly url: URL | null;
  /** The connection is authenticated (NTLM): requests go without a header until a 401. */
  private authenticated = false;
  /** Scripts of this client run one at a time (they share the authenticated connection). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: WinrmOptions) {
    let url: URL | null = null;
    try {
      url = new URL(o.endpoint.includes("/wsman") ? o.endpoint : `${o.endpoint.replace(/\/$/, "")}/wsman`);
    } catch {
      url = null;
    }
    // Anything but http(s) is refused at the first call, in words (the form refuses it too).
    this.url = url && (url.protocol === "https:" || url.protocol === "http:") ? url : null;
  }

  get where(): string {
    return `WinRM at ${this.url?.host ?? this.o.endpoint}`;
  }

  /** One connection, one request at a time: NTLM's handshake and the request it authenticates share it. */
  private get http(): Client {
    if (!this.url) throw new DriverError("PROVIDER", `"${this.o.endpoint}" is not a WinRM URL (https://host:5986/wsman)`, false);
    this.client ??= new Client(this.url.origin, {
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: this.url.protocol === "https:" ? { ca: this.o.ca || undefined, rejectUnauthorized: true } : undefined,
    });
    return this.client;
  }

  async close(): Promise<void> {
    await this.client?.destroy().catch(() => undefined);
    this.client = undefined;
  }

  /** One HTTP POST; resolves with the status, headers and body. */
  private async post(body: string, headers: Record<string, string>, signal: AbortSignal): Promise<{ status: number; headers: Headers; body: string }> {
    const res = await this.http.request({
      path: this.url!.pathname + this.url!.search,
      method: "POST",
      signal,
      headers: { "content-type": "application/soap+xml;charset=UTF-8", "user-agent": "Orquestra WinRM", ...headers },
      body,
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  }

  /** POSTs an envelope, authenticating the connection first when the server asks. */
  private async send(body: string, signal: AbortSignal, what: string): Promise<Node | null> {
    let res;
    try {
      if (this.o.authentication === "basic") {
        const basic = Buffer.from(`${this.o.username}:${this.o.password}`, "utf8").toString("base64");
        res = await this.post(body, { Authorization: `Basic ${basic}` }, signal);
      } else {
        res = this.authenticated ? await this.post(body, {}, signal) : { status: 401, headers: {}, body: "" };
        if (res.status === 401) res = await this.ntlm(body, signal);
      }
    } catch (err) {
      if (err instanceof DriverError) throw err;
      throw transportError(err, this.where, signal) ?? new DriverError("PROVIDER", `${this.where} broke off the exchange (${what})`, false);
    }
    if (res.status === 401) {
      this.authenticated = false;
      throw new DriverError("AUTH", `${this.where} refused the user name or password (${this.o.authentication.toUpperCase()})`, false);
    }
    const env = parseEnvelope(res.body);
    if (res.status >= 200 && res.status < 300) {
      // Signal and Delete may answer with an empty body; everything else is an envelope.
      if (!env && res.body.trim()) throw new DriverError("PROVIDER", `${this.where} answered ${what} with something that is not WS-Management`, false);
      return env;
    }
    const fault = faultOf(env);
    if (fault) {
      const e = new DriverError("PROVIDER", `${this.where}: ${fault.message || "WS-Management fault"}${fault.code ? ` (${fault.code})` : ""}`, false) as DriverError & { faultCode?: string };
      e.faultCode = fault.code;
      throw e;
    }
    if (res.status === 503 || res.status === 502) throw new DriverError("UNAVAILABLE", `${this.where} is not available (HTTP ${res.status})`);
    throw new DriverError("PROVIDER", `${this.where} answered ${what} with HTTP ${res.status}`, false);
  }

  /** The NTLM handshake on the agent's one socket, the request riding on the AUTHENTICATE message. */
  private async ntlm(body: string, signal: AbortSignal) {
    const first = await this.post("", { Authorization: `Negotiate ${negotiateMessage().toString("base64")}` }, signal);
    const header = asArray(first.headers["www-authenticate"]).find((h) => /^(Negotiate|NTLM) \S+/.test(h));
    if (first.status !== 401 || !header) {
      if (first.status === 401) throw new DriverError("AUTH", `${this.where} does not offer NTLM (Negotiate) authentication`, false);
      return first;
    }
    let challenge;
    try {
      challenge = parseChallenge(Buffer.from(header.split(" ")[1], "base64"));
    } catch {
      throw new DriverError("PROVIDER", `${this.where} sent an NTLM challenge that cannot be read`, false);
    }
    const token = authenticateMessage(challenge, { username: this.o.username, password: this.o.password });
    const res = await this.post(body, { Authorization: `Negotiate ${token.toString("base64")}` }, signal);
    this.authenticated = res.status !== 401;
    return res;
  }

  /** Runs a PowerShell script in a new remote shell (after the client's earlier ones). */
  run(script: string, opts?: CallOptions): Promise<RunResult> {
    const next = this.queue.then(() => this.runNow(script, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a script now; always deletes the shell. */
  private async runNow(script: string, opts?: CallOptions): Promise<RunResult> {
    const signal = deadline(opts, this.o.callTimeoutMs);
    if (!this.url) throw new DriverError("PROVIDER", `"${this.o.endpoint}" is not a WinRM URL (https://host:5986/wsman)`, false);
    const to = this.url.toString();
    const timeoutS = 60;
    const command = encodedCommand(script);
    try {
      const created = await this.send(
        envelope({
          to,
          action: ACTION.create,
          timeoutS,
          options: { WINRS_NOPROFILE: "TRUE", WINRS_CODEPAGE: "65001" },
          body: `<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>`,
        }),
        signal,
        "create shell",
      );
      // rsp:ShellId (in rsp:Shell), or the ShellId selector of the created resource.
      const selectors = asArray(findKey(created, "Selector") as Node | Node[] | undefined);
      const shellId = textOf(findKey(created, "ShellId")) || textOf(selectors.find((x) => x && typeof x === "object" && x["@Name"] === "ShellId")) || "";
      if (!shellId) throw new DriverError("PROVIDER", `${this.where} created no shell`, false);
      try {
        return await this.command(to, shellId, command, timeoutS, signal);
      } finally {
        // The shell is deleted whatever happened (a leftover shell counts against the user's quota).
        await this.send(envelope({ to, action: ACTION.delete, shellId, timeoutS, body: "" }), AbortSignal.timeout(10_000), "delete shell").catch(() => undefined);
      }
    } catch (err) {
      if (err instanceof DriverError) throw err;
      if (signal.aborted) throw timeoutError(this.where, signal);
      throw transportError(err, this.where, signal) ?? new DriverError("PROVIDER", `${this.where}: ${(err as Error).message}`, false);
    }
  }

  private async command(to: string, shellId: string, command: string, timeoutS: number, signal: AbortSignal): Promise<RunResult> {
    const started = await this.send(
      envelope({
        to,
        action: ACTION.command,
        shellId,
        timeoutS,
        options: { WINRS_CONSOLEMODE_STDIN: "TRUE", WINRS_SKIP_CMD_SHELL: "FALSE" },
        body: `<rsp:CommandLine><rsp:Command>${esc(command)}</rsp:Command></rsp:CommandLine>`,
      }),
      signal,
      "start command",
    );
    const commandId = textOf(findKey(started, "CommandId"));
    if (!commandId) throw new DriverError("PROVIDER", `${this.where} started no command`, false);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let exitCode: number | null = null;
    try {
      while (exitCode === null) {
        if (signal.aborted) throw timeoutError(this.where, signal);
        let env: Node | null;
        try {
          env = await this.send(
            envelope({
              to,
              action: ACTION.receive,
              shellId,
              timeoutS,
              options: { WSMAN_CMDSHELL_OPTION_KEEPALIVE: "TRUE" },
              body: `<rsp:Receive><rsp:DesiredStream CommandId="${esc(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`,
            }),
            signal,
            "receive output",
          );
        } catch (e) {
          // Nothing to read within the operation timeout: a long command, ask again.
          if ((e as { faultCode?: string }).faultCode === RECEIVE_TIMED_OUT) continue;
          throw e;
        }
        const response = (findKey(env, "ReceiveResponse") as Node | undefined) ?? null;
        if (!response) throw new DriverError("PROVIDER", `${this.where} answered Receive without output`, false);
        for (const s of asArray(response.Stream as Node | Node[])) {
          const data = textOf(s);
          if (!data) continue;
          (s["@Name"] === "stderr" ? err : out).push(Buffer.from(data, "base64"));
        }
        const state = response.CommandState as Node | undefined;
        if (state && String(state["@State"]) === DONE) exitCode = Number(textOf(state.ExitCode) || 0);
      }
    } finally {
      await this.send(
        envelope({ to, action: ACTION.signal, shellId, timeoutS, body: `<rsp:Signal CommandId="${esc(commandId)}"><rsp:Code>${TERMINATE}</rsp:Code></rsp:Signal>` }),
        AbortSignal.timeout(10_000),
        "end command",
      ).catch(() => undefined);
    }
    return { stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), exitCode };
  }
}

/**
 * The error text of PowerShell's CLIXML error stream ("#< CLIXML" on stderr): the <S S="Error">
 * lines, with _x000D__x000A_ escapes turned back into line breaks.
 */
export function clixmlErrors(stderr: string): string {
  if (!stderr.startsWith("#< CLIXML")) return stderr.trim();
  const lines = [...stderr.matchAll(/<S S="Error">([\s\S]*?)<\/S>/g)].map((m) =>
    m[1]
      .replace(/_x([0-9A-F]{4})_/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, "&"),
  );
  return lines.join("").replace(/\s+/g, " ").trim();
}
