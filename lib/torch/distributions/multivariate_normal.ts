// torch.distributions.MultivariateNormal.
import { N } from '../../native';
import { Tensor, wrap } from '../tensor';
import { eye } from '../creation';
import { enable_grad } from '../autograd/grad_mode';
import { broadcast_shapes } from '../ops/shape';
import { cholesky, solve_triangular } from '../linalg';
import { Distribution, SampleShape } from './distribution';
import * as constraints from './constraints';
import { _standard_normal } from './utils';
import { kw } from '../ops/util';

function _batch_mv(bmat: Tensor, bvec: Tensor): Tensor {
  return bmat.matmul(bvec.unsqueeze(-1)).squeeze(-1);
}

/** Python's _batch_mahalanobis: squared Mahalanobis distance x^T (L L^T)^-1 x, batched. */
function _batch_mahalanobis(bL: Tensor, bx: Tensor): Tensor {
  const n = bx.size(-1);
  const bxBatchShape = bx.shape.slice(0, -1);
  const bxBatchDims = bxBatchShape.length;
  const bLBatchDims = bL.dim() - 2;
  const outerBatchDims = bxBatchDims - bLBatchDims;
  const oldBatchDims = outerBatchDims + bLBatchDims;
  const newBatchDims = outerBatchDims + 2 * bLBatchDims;
  const newShape = bx.shape.slice(0, outerBatchDims);
  const sLs = bL.shape.slice(0, -2);
  const sxs = bx.shape.slice(outerBatchDims, -1);
  for (let i = 0; i < Math.min(sLs.length, sxs.length); i++) newShape.push(Math.floor(sxs[i] / sLs[i]), sLs[i]);
  newShape.push(n);
  bx = bx.reshape(newShape);
  const perm: number[] = [];
  for (let i = 0; i < outerBatchDims; i++) perm.push(i);
  for (let i = outerBatchDims; i < newBatchDims; i += 2) perm.push(i);
  for (let i = outerBatchDims + 1; i < newBatchDims; i += 2) perm.push(i);
  perm.push(newBatchDims);
  bx = bx.permute(perm);
  const flatL = bL.reshape(-1, n, n);
  const flatX = bx.reshape(-1, flatL.size(0), n);
  const flatXSwap = flatX.permute(1, 2, 0);
  const MSwap = solve_triangular(flatL, flatXSwap, { upper: false }).pow(2).sum(-2);
  const M = MSwap.t();
  const permutedM = M.reshape(bx.shape.slice(0, -1));
  const inv: number[] = [];
  for (let i = 0; i < outerBatchDims; i++) inv.push(i);
  for (let i = 0; i < bLBatchDims; i++) inv.push(outerBatchDims + i, oldBatchDims + i);
  return permutedM.permute(inv).reshape(bxBatchShape);
}

function _precision_to_scale_tril(P: Tensor): Tensor {
  const Lf = cholesky(P.flip(-2, -1));
  const Linv = Lf.flip(-2, -1).transpose(-2, -1);
  const Id = eye(P.size(-1), { dtype: P.dtype, device: P.device });
  return solve_triangular(Linv, Id, { upper: false });
}

export type MVNArgs = { covariance_matrix?: Tensor | null; precision_matrix?: Tensor | null; scale_tril?: Tensor | null; validate_args?: boolean | null };

export class MultivariateNormal extends Distribution {
  static override has_rsample = true;
  loc: Tensor;
  /** @internal */ _unbroadcasted_scale_tril: Tensor;
  /** @internal */ _covariance_matrix: Tensor | undefined;
  /** @internal */ _precision_matrix: Tensor | undefined;
  /** @internal */ _scale_tril: Tensor | undefined;

  override get arg_constraints(): Record<string, constraints.Constraint> {
    return {
      loc: constraints.real_vector,
      covariance_matrix: constraints.positive_definite,
      precision_matrix: constraints.positive_definite,
      scale_tril: constraints.lower_cholesky,
    };
  }
  override get support(): constraints.Constraint {
    return constraints.real_vector;
  }

  /** new MultivariateNormal(loc, {covariance_matrix} | {precision_matrix} | {scale_tril}). */
  constructor(loc: Tensor, opts: MVNArgs) {
    kw('MultivariateNormal', opts, ['covariance_matrix', 'precision_matrix', 'scale_tril', 'validate_args']);
    if (loc.dim() < 1) throw new RangeError('loc must be at least one-dimensional.');
    const given = [opts.covariance_matrix, opts.scale_tril, opts.precision_matrix].filter((x) => x !== null && x !== undefined).length;
    if (given !== 1) throw new RangeError('Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.');
    let batch: number[];
    let mat: Tensor;
    let kind: 'scale_tril' | 'covariance_matrix' | 'precision_matrix';
    if (opts.scale_tril) {
      mat = opts.scale_tril;
      kind = 'scale_tril';
      if (mat.dim() < 2) throw new RangeError('scale_tril matrix must be at least two-dimensional, with optional leading batch dimensions');
    } else if (opts.covariance_matrix) {
      mat = opts.covariance_matrix;
      kind = 'covariance_matrix';
      if (mat.dim() < 2) throw new RangeError('covariance_matrix must be at least two-dimensional, with optional leading batch dimensions');
    } else {
      mat = opts.precision_matrix!;
      kind = 'precision_matrix';
      if (mat.dim() < 2) throw new RangeError('precision_matrix must be at least two-dimensional, with optional leading batch dimensions');
    }
    // eslint-disable-next-line prefer-const
    batch = broadcast_shapes(mat.shape.slice(0, -2), loc.shape.slice(0, -1));
    const expandedMat = mat.expand([...batch, -1, -1]);
    const l = loc.expand([...batch, -1]);
    super(batch, l.shape.slice(-1), opts.validate_args);
    this.loc = l;
    if (kind === 'scale_tril') this._scale_tril = expandedMat;
    else if (kind === 'covariance_matrix') this._covariance_matrix = expandedMat;
    else this._precision_matrix = expandedMat;
    this._check_args();
    if (kind === 'scale_tril') this._unbroadcasted_scale_tril = mat;
    else if (kind === 'covariance_matrix') this._unbroadcasted_scale_tril = cholesky(mat);
    else this._unbroadcasted_scale_tril = _precision_to_scale_tril(mat);
  }

  private matShape(): number[] {
    return [...this._batch_shape, ...this._event_shape, ...this._event_shape];
  }
  get scale_tril(): Tensor {
    if (this._scale_tril === undefined) this._scale_tril = enable_grad(() => this._unbroadcasted_scale_tril.expand(this.matShape()));
    return this._scale_tril;
  }
  get covariance_matrix(): Tensor {
    if (this._covariance_matrix === undefined) {
      this._covariance_matrix = enable_grad(() => this._unbroadcasted_scale_tril.matmul(this._unbroadcasted_scale_tril.mT).expand(this.matShape()));
    }
    return this._covariance_matrix;
  }
  get precision_matrix(): Tensor {
    if (this._precision_matrix === undefined) {
      this._precision_matrix = enable_grad(() => wrap(N.cholesky_inverse(this._unbroadcasted_scale_tril._h, false)).expand(this.matShape()));
    }
    return this._precision_matrix;
  }
  override get mean(): Tensor {
    return this.loc;
  }
  override get mode(): Tensor {
    return this.loc;
  }
  override get variance(): Tensor {
    return this._unbroadcasted_scale_tril.pow(2).sum(-1).expand([...this._batch_shape, ...this._event_shape]);
  }

  expand(batch_shape: SampleShape): MultivariateNormal {
    const n = Object.create(MultivariateNormal.prototype) as MultivariateNormal;
    const b = [...batch_shape];
    const cov = [...b, ...this._event_shape, ...this._event_shape];
    n.loc = this.loc.expand([...b, ...this._event_shape]);
    n._unbroadcasted_scale_tril = this._unbroadcasted_scale_tril;
    if (this._covariance_matrix !== undefined) n._covariance_matrix = this._covariance_matrix.expand(cov);
    if (this._scale_tril !== undefined) n._scale_tril = this._scale_tril.expand(cov);
    if (this._precision_matrix !== undefined) n._precision_matrix = this._precision_matrix.expand(cov);
    n._batch_shape = b;
    n._event_shape = [...this._event_shape];
    n._validate_args = this._validate_args;
    return n;
  }

  override rsample(sample_shape: SampleShape = []): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = _standard_normal(shape, { dtype: this.loc.dtype, device: this.loc.device });
    return this.loc.add(_batch_mv(this._unbroadcasted_scale_tril, eps));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const diff = value.sub(this.loc);
    const M = _batch_mahalanobis(this._unbroadcasted_scale_tril, diff);
    const halfLogDet = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    return M.add(this._event_shape[0] * Math.log(2 * Math.PI)).mul(-0.5).sub(halfLogDet);
  }
  override entropy(): Tensor {
    const halfLogDet = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    const H = halfLogDet.add(0.5 * this._event_shape[0] * (1.0 + Math.log(2 * Math.PI)));
    return this._batch_shape.length === 0 ? H : H.expand(this._batch_shape);
  }
}
