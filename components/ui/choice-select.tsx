"use client";
// A native select whose choices arrive as one compact array of [value, label] pairs. Rendered
// on the server, each <option> would travel twice: in the HTML and again as an element of the
// server component payload (~150 bytes each). An administrator's project filter lists every
// project (1,000 at bench size): as one array the payload carries ~60 bytes per choice.
import * as React from "react";
import { NativeSelect } from "./field";

export function ChoiceSelect({
  choices,
  emptyLabel,
  ...props
}: React.SelectHTMLAttributes<HTMLSelectElement> & { choices: readonly (readonly [string, string])[]; emptyLabel?: string }) {
  return (
    <NativeSelect {...props}>
      {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
      {choices.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </NativeSelect>
  );
}
