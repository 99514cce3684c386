/**
 * A progress bar on stderr while large inputs load. Drawn only on an interactive terminal and never in CI
 * (CI logs would fill with carriage-return frames), and only for inputs big enough to wait for.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

/** Inputs smaller than this load in well under a second: no bar. */
export const PROGRESS_THRESHOLD_BYTES = 4 * 1024 * 1024;
const FRAME_INTERVAL_MS = 100;
const BAR_WIDTH = 30;

export class ProgressBar {
  /** True when a bar should be drawn on this stream in this environment. */
  public static shouldShow(stream: ProgressStream, env: NodeJS.ProcessEnv): boolean {
    return stream.isTTY === true && !env.CI && env.TERM !== 'dumb';
  }

  private lastFrame = 0;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
  ) {}

  /** Draws a frame (throttled); nothing for small inputs. */
  public update(done: number, total: number): void {
    if (total < PROGRESS_THRESHOLD_BYTES) return;
    const t = this.now();
    if (this.drawn && t - this.lastFrame < FRAME_INTERVAL_MS && done < total) return;
    this.lastFrame = t;
    this.drawn = true;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * BAR_WIDTH);
    const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
    // Once everything is read the rules run (synchronously, so no more frames): say so.
    const phase = done >= total ? 'read, checking...' : 'read';
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.round(ratio * 100)}% ${mb(done)}/${mb(total)} MB ${phase}`);
  }

  /** Clears the bar line so the report starts on a clean line. */
  public done(): void {
    if (this.drawn) this.stream.write('\r\u001b[2K');
    this.drawn = false;
  }
}
