// The filter bar every list shares: a search landmark that applies itself (AutoSubmitForm:
// selects at once, text debounced, all in the URL), with labelled search and select fields and a
// "clear" link when something is filtered. Without JavaScript it is a GET form (Enter submits).
import * as React from "react";
import { AutoSubmitForm } from "./auto-submit-form";
import { Input, Label, NativeSelect } from "./field";

export function ListFilters({
  action,
  label,
  hidden = {},
  clearLabel,
  filtered,
  children,
}: {
  /** The list's path (the form's GET target and the "clear" link). */
  action: string;
  /** The search landmark's name. */
  label: string;
  /** Parameters the form does not show but keeps (e.g. the sort chosen by a header). */
  hidden?: Record<string, string | undefined>;
  clearLabel?: string;
  /** Whether anything is filtered (shows the clear link). */
  filtered?: boolean;
  children: React.ReactNode;
}) {
  return (
    <AutoSubmitForm action={action} role="search" aria-label={label} className="mb-4 flex flex-wrap items-end gap-3">
      {Object.entries(hidden).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      {children}
      {filtered && clearLabel ? (
        // A full load, not a client navigation: the form's fields are uncontrolled and would keep
        // the values being cleared.
        <a href={action} className="py-2 text-sm text-indigo-700 hover:underline">
          {clearLabel}
        </a>
      ) : null}
    </AutoSubmitForm>
  );
}

export function SearchField({ id, label, value, name = "q", className }: { id: string; label: string; value?: string; name?: string; className?: string }) {
  return (
    <div className={className ?? "min-w-48 flex-1 sm:max-w-sm"}>
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} type="search" defaultValue={value ?? ""} maxLength={100} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  name,
  value,
  options,
  anyLabel,
}: {
  id: string;
  label: string;
  name: string;
  value?: string;
  options: readonly { value: string; label: string }[];
  /** The first option (empty value: no filter); omitted for selects that always have a value. */
  anyLabel?: string;
}) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <NativeSelect id={id} name={name} defaultValue={value ?? ""}>
        {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

/** A query parameter as one trimmed string (undefined when absent, empty or repeated). */
export function oneParam(v: string | string[] | undefined): string | undefined {
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

/** The parameter when it is one of the allowed values. */
export function pickParam<T extends string>(v: string | string[] | undefined, allowed: readonly T[]): T | undefined {
  const s = oneParam(v);
  return allowed.find((x) => x === s);
}
