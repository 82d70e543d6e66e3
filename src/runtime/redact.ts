// Server addresses are printed in progress lines, errors and JSON; a password in one must never be.

/** `nats://alice:secret@host:4222` → `nats://alice:***@host:4222`; other text is returned unchanged. */
export function redactUrl(url: string): string {
  return redactSecrets(url);
}

/** Replaces the password of every `scheme://user:password@` in a text (several URLs, error messages). */
export function redactSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s/@]*@/gi, '$1:***@');
}
