// Hashes of the <style> elements a dependency inserts at run time, allowed by the pages'
// CSP (style-src) instead of 'unsafe-inline'. sonner (the toasts) inserts its stylesheet as
// an empty <style> and then fills it, so both the empty text and its CSS are listed. The
// unit test recomputes them from the installed package: after an upgrade it fails and
// prints the new values.
export const RUNTIME_STYLE_HASHES = [
  "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", // "" (the element before its text is appended)
  "sha256-StEaX+se6YS7pqjzrzMIA0KaX9zF/8zAhvQXZAe5epY=", // sonner's stylesheet
] as const;
