// Golden kind "schedule": schedule values over steps 0..10, for number and tensor counts.
import { torch } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, result } from './common';
import { scheduleFrom } from './optimizer';

type SchedCase = { schedule: string; kwargs: Record<string, unknown>; steps: number[]; values: number[] };

export function checkScheduleFile(doc: { cases: SchedCase[] }, tol = 1e-12): CaseResult[] {
  return doc.cases.map((c, i) => {
    const s = scheduleFrom({ schedule: c.schedule, ...c.kwargs });
    let err = 0;
    c.steps.forEach((step, k) => {
      const v = s(step);
      const num = typeof v === 'number' ? v : (v as Tensor).item();
      err = Math.max(err, Math.abs(num - c.values[k]));
    });
    // Tensor counts (as inside scale_by_schedule) follow the same curve in float32.
    let errT = 0;
    c.steps.forEach((step, k) => {
      const v = s(torch.tensor(BigInt(step)));
      const num = typeof v === 'number' ? v : (v as Tensor).item();
      errT = Math.max(errT, Math.abs(num - c.values[k]));
    });
    return result(`${i}: ${c.schedule}(${JSON.stringify(c.kwargs)})`, Math.max(err, errT > 1e-6 ? errT : 0), tol, `tensor-count max diff ${errT.toExponential(2)}`);
  });
}
