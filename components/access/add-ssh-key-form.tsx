"use client";
// Adds an SSH public key (settings). The key is checked as it is typed (the same format check
// as the server: type, base64, embedded type name); the server computes the fingerprint.
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { useFieldMessage } from "@/components/ui/use-field-message";
import { useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";
import { addSshKeySchema, MAX_SSH_KEY_NAME } from "@/lib/access/schemas";

type Fields = Record<string, string[]>;

export function AddSshKeyForm({ action }: { action: (input: unknown) => Promise<ActionResult<{ id: string; fingerprint: string }>> }) {
  const t = useTranslations("access");
  const errorText = useErrorText();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Fields>({});
  const msg = useFieldMessage();
  const err = (f: string) => errors[f]?.map(msg);

  return (
    <form
      ref={formRef}
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const input = { name: String(form.get("name") ?? ""), publicKey: String(form.get("publicKey") ?? "") };
        const local = addSshKeySchema.safeParse(input);
        if (!local.success) {
          const fields: Fields = {};
          for (const issue of local.error.issues) (fields[String(issue.path[0])] ??= []).push(issue.message);
          setErrors(fields);
          return;
        }
        start(async () => {
          const r = await action(input);
          if (r.ok) {
            setErrors({});
            formRef.current?.reset();
            toast.success(t("added"));
            router.refresh();
          } else {
            setErrors((r.error.details?.fields as Fields) ?? {});
            // Not a field problem (rate limit, session ended, ...): the code's sentence, translated.
            if (!r.error.details?.fields) toast.error(errorText(r.error));
          }
        });
      }}
    >
      <Field id="ssh-key-name" label={t("name")} error={err("name")}>
        <Input name="name" required maxLength={MAX_SSH_KEY_NAME} autoComplete="off" placeholder={t("namePlaceholder")} className="max-w-sm" />
      </Field>
      <Field id="ssh-key-public" label={t("publicKey")} hint={t("publicKeyHint")} error={err("publicKey")}>
        <Textarea name="publicKey" required rows={3} spellCheck={false} className="font-mono text-xs" placeholder="ssh-ed25519 AAAAC3Nza… you@laptop" />
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? t("adding") : t("add")}
      </Button>
    </form>
  );
}
