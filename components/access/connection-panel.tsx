"use client";
// The machine page's connection details: IP, the SSH command with the template's login user,
// the SSH keys injected at provision (with their fingerprints) and how they went in; for
// containers, the engine's exec command.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { MachineDetail } from "@/lib/machines/views";

function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useTranslations("access.machine");
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      className="rounded border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => {});
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? t("copied") : t("copy")}
    </button>
  );
}

/** The engine's shell command for a container, where the provider runs containers. */
function execCommand(kind: string | undefined, ref: string | null): string | null {
  if (!ref) return null;
  if (kind === "DOCKER") return `docker exec -it ${ref} sh`;
  if (kind === "LXD") return `lxc exec ${ref} -- sh`;
  return null;
}

export function ConnectionPanel({ machine: m }: { machine: MachineDetail }) {
  const t = useTranslations("access.machine");
  const a = m.access;
  const kind = m.provider?.kind;
  const user = a.user || t("userUnknown");
  const ssh = m.ipAddress && a.method !== "docker" ? `ssh ${user}@${m.ipAddress}` : null;
  const exec = execCommand(kind, a.ref);
  return (
    <Card role="region" aria-labelledby="connection-title">
      <CardHeader>
        <h2 id="connection-title" className="text-base font-semibold text-slate-900">
          {t("title")}
        </h2>
      </CardHeader>
      <CardBody className="space-y-3 text-sm">
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("ip")}</h3>
          <p className="mt-0.5">{m.ipAddress ? <span className="font-mono">{m.ipAddress}</span> : t("noIp")}</p>
        </div>
        {ssh ? (
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("sshCommand")}</h3>
            <div className="mt-0.5 flex flex-wrap items-center gap-2">
              <code data-testid="ssh-command" className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all">
                {ssh}
              </code>
              <CopyButton text={ssh} label={`${t("copy")}: ${t("sshCommand")}`} />
            </div>
          </div>
        ) : null}
        {exec ? (
          <div>
            <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("exec")}</h3>
            <div className="mt-0.5 flex flex-wrap items-center gap-2">
              <code className="rounded bg-slate-100 px-2 py-1 font-mono text-xs break-all">{exec}</code>
              <CopyButton text={exec} label={`${t("copy")}: ${t("exec")}`} />
            </div>
            {kind === "DOCKER" ? <p className="mt-1 text-xs text-slate-600">{t("execHint")}</p> : null}
          </div>
        ) : null}
        <div>
          <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("keys")}</h3>
          {a.noGuest ? (
            <p className="mt-0.5 text-slate-600" data-testid="not-injected">
              {t("noGuest")}
            </p>
          ) : !a.recorded ? (
            <p className="mt-0.5 text-slate-600">{m.provider ? t("unknown") : "—"}</p>
          ) : a.method === null ? (
            <p className="mt-0.5 text-slate-600">{t("notInjected")}</p>
          ) : a.keys.length === 0 ? (
            <p className="mt-0.5 text-slate-600">{t("noKeys")}</p>
          ) : (
            <ul className="mt-0.5 space-y-1" aria-label={t("keys")}>
              {a.keys.map((k) => (
                <li key={k.fingerprint}>
                  <span className="font-medium">{k.name}</span> <code className="font-mono text-xs break-all text-slate-700">{k.fingerprint}</code>
                </li>
              ))}
            </ul>
          )}
          {a.recorded && a.method ? (
            <p className="mt-1 text-xs text-slate-600">
              {t("method")}: {t(`methods.${a.method}`)}
            </p>
          ) : null}
          {a.method === "docker" ? <p className="mt-1 text-xs text-slate-600">{t("dockerEnvNote")}</p> : null}
        </div>
      </CardBody>
    </Card>
  );
}
