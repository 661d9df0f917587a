// Progress display for long steps: one updating line per step on a terminal, plain lines otherwise.
export type Progress = (step: string, done: number, total: number) => void;

export function progressPrinter(out: NodeJS.WriteStream): Progress {
  let lastStep = '';
  let lastPct = -1;
  let lastPrint = 0;
  return (step, done, total) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (out.isTTY) {
      const now = Date.now();
      if (step === lastStep && pct === lastPct) return;
      if (step === lastStep && pct < 100 && now - lastPrint < 100) return;
      out.write(`\r\x1b[2K  ${step} ${pct}%${pct >= 100 ? '\n' : ''}`);
      lastPrint = now;
    } else if (step !== lastStep || (pct >= lastPct + 25) || (pct === 100 && lastPct !== 100)) {
      out.write(`  ${step} ${pct}%\n`);
    }
    lastStep = step;
    lastPct = pct;
  };
}
