// The plain words of a failure, by its code: the message key (machines namespace) that the
// machine page and the request page show instead of the provider's own (English) message.
export const KNOWN_FAILURE_CODES = ["NO_CAPACITY", "QUOTA_EXCEEDED", "TIMEOUT", "UNAVAILABLE", "AUTH", "NOT_FOUND", "UNSUPPORTED", "CAPACITY", "PROVIDER", "INTERNAL", "CONFLICT", "VALIDATION"] as const;

/** Driver failures arrive as DRIVER_<code> (DRIVER_TIMEOUT, ...): the plain words are per driver code. */
export function failureMessageKey(code: string | null | undefined): string {
  const plain = code ? code.replace(/^DRIVER_/, "") : null;
  return plain && (KNOWN_FAILURE_CODES as readonly string[]).includes(plain) ? `failure.codes.${plain}` : "failure.generic";
}
