import { randomInt } from 'node:crypto';

/**
 * The one-time code that guards first-run setup on the browser host: whoever
 * reaches the port first must also be able to read the host's console.
 */
export class SetupGate {
  private code: string | null = null;
  private failures = 0;
  /** After this many wrong codes the code is void until the host restarts and prints a new one. */
  static readonly MAX_FAILURES = 10;

  /** Makes a fresh code like `4821-0937` and returns it for printing. */
  issue(): string {
    const part = () => String(randomInt(0, 10_000)).padStart(4, '0');
    this.code = `${part()}-${part()}`;
    this.failures = 0;
    return this.code;
  }

  get active(): boolean {
    return this.code !== null;
  }

  matches(input: string | undefined): boolean {
    if (!this.code || !input) return false;
    return input.replace(/\s|-/g, '') === this.code.replace('-', '');
  }

  fail(): void {
    this.failures++;
    if (this.failures >= SetupGate.MAX_FAILURES) this.code = null;
  }

  consume(): void {
    this.code = null;
  }
}
