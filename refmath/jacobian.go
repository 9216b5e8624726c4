package refmath

import "math"

// SigmoidJacobian returns the K×K Jacobian of the sigmoid head's outputs p_k = σ(z_k),
//
//	J[i][j] = ∂σ(z_i)/∂z_j = σ(z_i)(1 − σ(z_i)) if i = j, else 0,   i.e.   J = diag(σ(1 − σ)).
//
// It is diagonal: each output depends on its own logit only. (SoftmaxJacobian, diag(p) − p pᵀ, is full:
// every output depends on every logit.)
func SigmoidJacobian(z []float64) [][]float64 {
	j := make([][]float64, len(z))
	for r := range j {
		j[r] = make([]float64, len(z))
		j[r][r] = SigmoidDeriv(z[r])
	}
	return j
}

// NumericalJacobian estimates the Jacobian J[i][j] = ∂f_i/∂z_j of a vector function at z by central
// differences with step h (see NumericalGrad). z is not modified.
func NumericalJacobian(f func([]float64) []float64, z []float64, h float64) [][]float64 {
	if !(h > 0) {
		panic("refmath: step h must be > 0")
	}
	x := append([]float64(nil), z...)
	var jac [][]float64
	for j := range x {
		orig := x[j]
		x[j] = orig + h
		plus := f(x)
		x[j] = orig - h
		minus := f(x)
		x[j] = orig
		if jac == nil {
			jac = make([][]float64, len(plus))
			for i := range jac {
				jac[i] = make([]float64, len(x))
			}
		}
		for i := range plus {
			jac[i][j] = (plus[i] - minus[i]) / (2 * h)
		}
	}
	if jac == nil { // No inputs: one empty row per output.
		jac = make([][]float64, len(f(x)))
		for i := range jac {
			jac[i] = []float64{}
		}
	}
	return jac
}

// MaxAbsDiff returns the largest |a_i − b_i|, +Inf if the lengths differ, NaN if an entry is NaN.
func MaxAbsDiff(a, b []float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var worst float64
	for i := range a {
		d := math.Abs(a[i] - b[i])
		if math.IsNaN(d) {
			return math.NaN()
		}
		worst = math.Max(worst, d)
	}
	return worst
}
