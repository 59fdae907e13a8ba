"use client";
// The request form's choice of SSH keys to inject (all ticked at first); the form sends the
// ticked ids as sshKeyIds.
import Link from "next/link";
import { useTranslations } from "next-intl";

export interface PickableSshKey {
  id: string;
  name: string;
  fingerprint: string;
}

export function SshKeyPicker({
  keys,
  chosen,
  onChange,
  error,
}: {
  keys: readonly PickableSshKey[];
  chosen: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const t = useTranslations("access");
  return (
    <fieldset className="space-y-2" aria-describedby="ssh-keys-hint">
      <legend className="text-sm font-medium text-slate-900">{t("request.legend")}</legend>
      <p id="ssh-keys-hint" className="text-xs text-slate-600">
        {keys.length ? t("request.hint") : t("request.none")}{" "}
        <Link href="/settings/ssh-keys" className="text-indigo-700 underline underline-offset-2">
          {t("request.manage")}
        </Link>
      </p>
      {keys.map((k) => (
        <label key={k.id} className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            value={k.id}
            className="mt-1 h-4 w-4"
            checked={chosen.includes(k.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, k.id] : chosen.filter((id) => id !== k.id))}
          />
          <span>
            <span className="font-medium">{k.name}</span> <code className="font-mono text-xs break-all text-slate-600">{k.fingerprint}</code>
          </span>
        </label>
      ))}
      {error ? (
        <p role="alert" className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
