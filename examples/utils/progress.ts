// A terminal progress bar for the examples (one line, redrawn; plain lines when not a TTY).
export class ProgressBar {
  private start = Date.now();
  private lastDraw = 0;
  constructor(
    private readonly total: number,
    private readonly label = '',
    private readonly width = 30,
  ) {}
  update(done: number, info = ''): void {
    const now = Date.now();
    if (done < this.total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * this.width);
    const elapsed = (now - this.start) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} ${elapsed.toFixed(1)}s eta ${eta.toFixed(1)}s ${info}`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(process.stdout.columns ? process.stdout.columns - 1 : 100)}`);
    else if (done === this.total || done % Math.max(1, Math.floor(this.total / 10)) === 0) console.log(line);
    if (done >= this.total && process.stdout.isTTY) process.stdout.write('\n');
  }
}
