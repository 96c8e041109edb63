// Golden checks by kind. Later kinds register here too.
import { torch } from '../../lib';
import { CaseResult } from './common';
import { checkOptimizerFile } from './optimizer';
import { checkScheduleFile } from './schedule';
import { checkClipFile } from './clip';
import { checkMetaFile } from './meta';
import { checkImplicitFile } from './implicit';
import { checkZeroOrderFile } from './zero_order';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const CHECKERS: Record<string, (doc: any) => CaseResult[]> = {
  optimizer: checkOptimizerFile,
  schedule: checkScheduleFile,
  clip_grad_norm: checkClipFile,
  meta_unrolled: checkMetaFile,
  implicit_ridge: checkImplicitFile,
  zero_order: checkZeroOrderFile,
};

export function registerChecker(kind: string, fn: (doc: unknown) => CaseResult[]): void {
  CHECKERS[kind] = fn;
}

/** Runs the checker of doc.kind. The goldens were made with torch's default dtype set to
 * meta.dtype (float64): scalar-tensor arithmetic such as TorchOpt's bias correction
 * pow(b, count) then runs in float64, so we set the same default while checking. */
export function checkDoc(doc: { kind: string; meta?: { dtype?: string } }): CaseResult[] {
  const f = CHECKERS[doc.kind];
  if (f === undefined) throw new Error(`no golden checker for kind '${doc.kind}' (have: ${Object.keys(CHECKERS).join(', ')})`);
  const prev = torch.get_default_dtype();
  const want = doc.meta?.dtype === 'float32' ? torch.float32 : torch.float64;
  torch.set_default_dtype(want);
  try {
    return f(doc);
  } finally {
    torch.set_default_dtype(prev);
  }
}
export type { CaseResult };
