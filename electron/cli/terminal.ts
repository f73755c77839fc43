/**
 * The CLI never writes a terminal escape sequence that came from data (issue
 * 13 "Names"): a name, a reason, a reader name, an IDPRS id or a card's answer
 * holding ESC, a C1 control or a bidirectional override could otherwise move
 * the cursor, rewrite earlier lines, retitle the window or reorder what the
 * officer reads. The station's own output needs none of these characters, so
 * everything written to a terminal (stdout or stderr that is a TTY) passes
 * through {@link neutralizeForTerminal}: each such character is shown as its
 * escaped code (`\u001b`) instead of acting.
 *
 * Pipes and files are left byte-exact (an `audit export` redirected to a file
 * is the export); JSON output escapes C0 controls itself.
 */

/**
 * Characters that act on a terminal instead of being shown: C0 controls but TAB
 * and LF (CR rewrites a line), DEL, C1 controls (U+0080–U+009F, among them CSI
 * U+009B), the bidirectional marks, embeddings, overrides and isolates, and the
 * line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const ACTIVE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069]/g;

/** `text` with every active character replaced by its escaped code point, e.g. ESC → `\u001b`. */
export function neutralizeForTerminal(text: string): string {
  return text.replace(ACTIVE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Streams already guarded (main() may run more than once in a process, e.g. in tests). */
const guarded = new WeakSet<object>();

/** The part of a stream the guard needs. */
export interface TerminalStream {
  isTTY?: boolean;
  write: (...args: never[]) => boolean;
}

/**
 * Makes every write to `stream` terminal-safe when it is a TTY (no effect otherwise).
 * Strings and buffers are neutralized as UTF-8 text; the encoding and callback arguments are kept.
 */
export function guardTerminal(stream: TerminalStream): void {
  if (!stream.isTTY || guarded.has(stream)) return;
  guarded.add(stream);
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const safeWrite = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (typeof chunk === 'string') return write(neutralizeForTerminal(chunk), ...rest);
    if (chunk instanceof Uint8Array) {
      // A buffer is written as text; its encoding argument (if any) no longer applies.
      const args = typeof rest[0] === 'string' ? rest.slice(1) : rest;
      return write(neutralizeForTerminal(Buffer.from(chunk).toString('utf8')), ...args);
    }
    return write(chunk, ...rest);
  };
  stream.write = safeWrite as TerminalStream['write'];
}
