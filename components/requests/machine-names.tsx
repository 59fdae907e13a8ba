import { Fragment } from "react";

/** Machine names that wrap between names, never inside one (names contain hyphens). */
export function MachineNames({ names }: { names: readonly string[] }) {
  return (
    <span className="font-mono text-xs">
      {names.map((n, i) => (
        <Fragment key={n}>
          {i > 0 ? ", " : null}
          <span className="whitespace-nowrap">{n}</span>
        </Fragment>
      ))}
    </span>
  );
}
