"use client";
// Creates a personal API token and shows its secret once, in a dialog the person closes
// after copying it. The secret lives only in this component's state: never in the URL,
// never re-fetched.
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/actions/run-action";
import type { CreatedApiToken } from "@/lib/apitokens/create-api-token";
import { MAX_TOKEN_NAME } from "@/lib/apitokens/schemas";

type Fields = Record<string, string[]>;

export function CreateTokenForm({
  action,
  minDate,
  maxDate,
}: {
  action: (input: unknown) => Promise<ActionResult<CreatedApiToken>>;
  minDate: string;
  maxDate: string;
}) {
  const t = useTranslations("settings.tokens");
  const tRoot = useTranslations();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Fields>({});
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const msg = (m: string) => (m.startsWith("settings.") ? tRoot(m as never) : m);
  const err = (f: string) => errors[f]?.map(msg);

  return (
    <>
      <form
        ref={formRef}
        noValidate
        className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const input = { name: String(form.get("name") ?? ""), expiresOn: String(form.get("expiresOn") ?? "") };
          start(async () => {
            const r = await action(input);
            if (r.ok) {
              setErrors({});
              formRef.current?.reset();
              setCreated({ name: r.data.name, secret: r.data.secret });
              toast.success(t("created"));
              router.refresh();
            } else {
              setErrors((r.error.details?.fields as Fields) ?? {});
              toast.error(r.error.details?.fields ? t("createFailed") : r.error.message);
            }
          });
        }}
      >
        <Field id="token-name" label={t("name")} hint={t("nameHint")} error={err("name")}>
          <Input name="name" required maxLength={MAX_TOKEN_NAME} autoComplete="off" />
        </Field>
        <Field id="token-expires" label={t("expiresOn")} hint={t("expiresOnHint")} error={err("expiresOn")}>
          <Input name="expiresOn" type="date" min={minDate} max={maxDate} />
        </Field>
        <Button type="submit" disabled={pending} className="sm:mt-6">
          {pending ? t("creating") : t("create")}
        </Button>
      </form>
      <Dialog open={created !== null} onOpenChange={(open) => !open && setCreated(null)}>
        {created ? (
          <DialogContent title={t("secretTitle")} description={t("secretText", { name: created.name })} closeLabel={t("close")}>
            <SecretBox secret={created.secret} onDone={() => setCreated(null)} />
          </DialogContent>
        ) : null}
      </Dialog>
    </>
  );
}

function SecretBox({ secret, onDone }: { secret: string; onDone: () => void }) {
  const t = useTranslations("settings.tokens");
  return (
    <div className="space-y-4">
      <Field id="new-token-secret" label={t("secretLabel")}>
        <Input readOnly value={secret} className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} data-testid="new-token-secret" />
      </Field>
      <div className="flex justify-end gap-2">
        <Button
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              toast.success(t("copied"));
            } catch {
              toast.error(t("copyFailed"));
            }
          }}
        >
          {t("copy")}
        </Button>
        <Button onClick={onDone}>{t("done")}</Button>
      </div>
    </div>
  );
}
