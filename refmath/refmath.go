package refmath

import (
	"fmt"
	"math"
)

// Sigmoid returns the logistic function
//
//	σ(z) = 1 / (1 + e^(−z)) = e^z / (1 + e^z).
//
// It is stable: for z ≥ 0 it uses the first form and for z < 0 the second,
// so the argument of exp is always −|z| ≤ 0 and exp never overflows. For
// z = ±1000 it returns exactly 1 and 0 (the correctly rounded values) without
// ever producing an Inf along the way.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// NaiveSigmoid returns σ(z) = 1 / (1 + e^(−z)) written the textbook way, with
// no care for the sign of z. It is kept on purpose for the lessons.
//
// For z below about −709.8, e^(−z) overflows to +Inf. IEEE arithmetic then
// makes 1/(1+Inf) = 0, so NaiveSigmoid(−1000) still returns 0 and
// NaiveSigmoid(1000) returns 1: on its own the naive sigmoid survives. The
// damage shows as soon as its output goes into a log, log(0) = −Inf, which is
// what NaiveBCE does. (The other textbook form, e^z/(1+e^z), is worse: it
// gives Inf/Inf = NaN at z = 1000. Sigmoid uses each form only on the side
// where it is safe.)
func NaiveSigmoid(z float64) float64 {
	return 1 / (1 + math.Exp(-z))
}

// SigmoidDeriv returns the derivative of the sigmoid,
//
//	σ'(z) = σ(z)(1 − σ(z)).
//
// It is computed as σ(z)·σ(−z), which is equal because 1 − σ(z) = σ(−z), but
// avoids the cancellation in 1 − σ(z) once σ(z) rounds to 1: for z = 40 the
// product form gives 0 while this gives e^(−40) ≈ 4.2e−18.
func SigmoidDeriv(z float64) float64 {
	return Sigmoid(z) * Sigmoid(-z)
}

// Softplus returns log(1 + e^z), the smooth version of max(z, 0). Its
// derivative is σ(z), and −log σ(z) = Softplus(−z).
//
// It is computed as
//
//	max(z, 0) + log1p(e^(−|z|)),
//
// which is equal (for z > 0, log(1+e^z) = z + log(1+e^(−z))) and stable: the
// argument of exp is never positive, so it cannot overflow, and log1p stays
// accurate when e^(−|z|) is tiny. Softplus(1000) is 1000, not +Inf.
func Softplus(z float64) float64 {
	return math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z)))
}

// LogSumExp returns log(Σ_k e^(z_k)).
//
// It is computed as m + log(Σ_k e^(z_k − m)) with m = max_k z_k, which is
// equal because the factor e^m can be taken out of the sum. It is stable:
// every exponent z_k − m is ≤ 0, so nothing overflows, and the largest term
// is e^0 = 1, so the sum is at least 1 and its log is never −Inf.
//
// Entries equal to −Inf (masked outputs) contribute nothing. If z is empty or
// every entry is −Inf, LogSumExp returns −Inf (the log of an empty sum); if
// some entry is +Inf it returns +Inf.
func LogSumExp(z []float64) float64 {
	if len(z) == 0 {
		return math.Inf(-1)
	}
	m := maxOf(z)
	if math.IsInf(m, 0) {
		return m
	}
	var s float64
	for _, v := range z {
		s += math.Exp(v - m)
	}
	return m + math.Log(s)
}

// Softmax returns the probabilities
//
//	p_k = e^(z_k) / Σ_j e^(z_j).
//
// It subtracts m = max_k z_k from every logit before exponentiating. The
// result is unchanged (the factor e^(−m) cancels between numerator and
// denominator: softmax is shift-invariant), and it is stable: every exponent
// is ≤ 0 so exp cannot overflow, and the largest term is exactly 1 so the
// denominator cannot underflow to 0. The outputs sum to 1.
//
// Logits are expected to be finite; −Inf entries get probability 0 as long as
// at least one logit is finite. Softmax of an empty slice is an empty slice.
func Softmax(z []float64) []float64 {
	p := make([]float64, len(z))
	if len(z) == 0 {
		return p
	}
	m := maxOf(z)
	var s float64
	for k, v := range z {
		p[k] = math.Exp(v - m)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
	return p
}

// NaiveSoftmax returns p_k = e^(z_k) / Σ_j e^(z_j) written the textbook way,
// without subtracting the maximum. It is kept on purpose for the lessons.
//
// It breaks in both directions. With z = [1000, 0], e^1000 overflows to +Inf
// and p_0 = Inf/Inf = NaN. With z = [−1000, −1000], every e^(z_k) underflows
// to 0 and p_k = 0/0 = NaN, although the answer is [0.5, 0.5]. Use Softmax.
func NaiveSoftmax(z []float64) []float64 {
	p := make([]float64, len(z))
	var s float64
	for k, v := range z {
		p[k] = math.Exp(v)
		s += p[k]
	}
	for k := range p {
		p[k] /= s
	}
	return p
}

// SoftmaxT returns the softmax at temperature T,
//
//	p = softmax(z / T).
//
// T = 1 is the plain Softmax. A large T flattens p towards the uniform
// distribution 1/K; a small T sharpens it towards the one-hot vector of the
// largest logit. It is stable for the same reason as Softmax.
//
// SoftmaxT panics with "refmath: temperature must be > 0" unless T > 0.
func SoftmaxT(z []float64, temperature float64) []float64 {
	if !(temperature > 0) {
		panic("refmath: temperature must be > 0")
	}
	zt := make([]float64, len(z))
	for k, v := range z {
		zt[k] = v / temperature
	}
	return Softmax(zt)
}

// LogSoftmax returns the log-probabilities
//
//	log p_k = z_k − LogSumExp(z).
//
// It is stable where log(Softmax(z)) is not: for z = [1000, 0] Softmax rounds
// p_1 = e^(−1000) to 0 and its log is −Inf, while LogSoftmax returns the exact
// value −1000.
func LogSoftmax(z []float64) []float64 {
	lse := LogSumExp(z)
	out := make([]float64, len(z))
	for k, v := range z {
		out[k] = v - lse
	}
	return out
}

// CrossEntropy returns the softmax cross-entropy loss of logits z for the
// true class label,
//
//	CE = −log softmax(z)[label] = LogSumExp(z) − z[label].
//
// It is computed with the second form, which is stable: no probability is
// ever formed, so nothing is rounded to 0 before the log. CrossEntropy of
// [0, 1000] for label 0 is exactly 1000 and of [1000, 0] for label 0 is 0.
//
// This is the loss of one example; GoMLX's loss.CategoricalCrossEntropyLogits
// likewise sums over the classes and then averages over the batch.
//
// CrossEntropy panics if label is not in [0, len(z)).
func CrossEntropy(z []float64, label int) float64 {
	checkLabel(label, len(z))
	return LogSumExp(z) - z[label]
}

// NaiveCrossEntropy returns −log(NaiveSoftmax(z)[label]), the textbook form
// that first computes probabilities and then takes a log. It is kept on
// purpose for the lessons.
//
// For z = [1000, 0] and label 0 it returns NaN (NaiveSoftmax gives NaN); for
// z = [0, 1000] and label 0 it returns +Inf (p_0 underflows to 0 and
// −log 0 = +Inf) where the true loss is 1000. Use CrossEntropy.
//
// NaiveCrossEntropy panics if label is not in [0, len(z)).
func NaiveCrossEntropy(z []float64, label int) float64 {
	checkLabel(label, len(z))
	return -math.Log(NaiveSoftmax(z)[label])
}

// CrossEntropyGrad returns the gradient of CrossEntropy(z, label) with
// respect to the logits,
//
//	∂CE/∂z = softmax(z) − onehot(label).
//
// Each entry is a probability minus 0 or 1, so the gradient lies in [−1, 1]
// and its entries sum to 0.
//
// CrossEntropyGrad panics if label is not in [0, len(z)).
func CrossEntropyGrad(z []float64, label int) []float64 {
	checkLabel(label, len(z))
	g := Softmax(z)
	g[label]--
	return g
}

// BinaryCrossEntropy returns the sigmoid ("one-vs-rest") cross-entropy of
// logits z against targets y in [0, 1], summed over the K outputs:
//
//	BCE = Σ_k −[y_k log σ(z_k) + (1 − y_k) log(1 − σ(z_k))]
//	    = Σ_k [Softplus(z_k) − y_k z_k].
//
// The two lines are equal because log σ(z) = −Softplus(−z),
// log(1 − σ(z)) = −Softplus(z) and Softplus(−z) = Softplus(z) − z. The second
// line is the one computed, and it is stable: no sigmoid is rounded to 0 or 1
// before a log, and Softplus itself is stable. BCE of z = [−1000] against
// y = [1] is exactly 1000.
//
// Note the sum: GoMLX's loss.BinaryCrossentropyLogits averages over every
// element, i.e. over the K outputs of an example too, so its value for one
// example is BinaryCrossEntropy / K. Use MeanBinaryCrossEntropy to compare
// with it directly.
//
// BinaryCrossEntropy panics if z and y differ in length.
func BinaryCrossEntropy(z, y []float64) float64 {
	checkSameLen(len(z), len(y))
	var s float64
	for k, v := range z {
		s += Softplus(v) - y[k]*v
	}
	return s
}

// MeanBinaryCrossEntropy returns BinaryCrossEntropy(z, y) / K, the mean over
// the K outputs, which is what GoMLX's loss.BinaryCrossentropyLogits reports
// for a single example. Its gradient is BinaryCrossEntropyGrad(z, y) / K.
// For K = 0 it returns NaN (0/0).
//
// MeanBinaryCrossEntropy panics if z and y differ in length.
func MeanBinaryCrossEntropy(z, y []float64) float64 {
	return BinaryCrossEntropy(z, y) / float64(len(z))
}

// NaiveBCE returns the summed binary cross-entropy written the textbook way,
//
//	Σ_k −[y_k log p_k + (1 − y_k) log(1 − p_k)],  p_k = NaiveSigmoid(z_k),
//
// which first turns logits into probabilities and then takes logs. It is
// kept on purpose for the lessons; it agrees with BinaryCrossEntropy for
// moderate logits.
//
// It breaks long before ±1000. Once z ≳ 37, 1 + e^(−z) rounds to 1, so p
// becomes exactly 1 and log(1 − p) = −Inf: z = [40], y = [0] gives +Inf
// where the true loss is about 40. With z = [−1000], y = [1], p = 0 and the
// result is +Inf instead of 1000. Even a confident correct answer fails:
// z = [1000], y = [1] gives 0·log(0) = 0·(−Inf) = NaN instead of 0. Use
// BinaryCrossEntropy.
//
// NaiveBCE panics if z and y differ in length.
func NaiveBCE(z, y []float64) float64 {
	checkSameLen(len(z), len(y))
	var s float64
	for k, v := range z {
		p := NaiveSigmoid(v)
		s -= y[k]*math.Log(p) + (1-y[k])*math.Log(1-p)
	}
	return s
}

// BinaryCrossEntropyGrad returns the gradient of the summed
// BinaryCrossEntropy(z, y) with respect to the logits,
//
//	∂BCE/∂z_k = σ(z_k) − y_k.
//
// It has the same "prediction minus target" shape as CrossEntropyGrad, but
// each output is independent: the entries need not sum to 0. Divide by K for
// the gradient of MeanBinaryCrossEntropy.
//
// BinaryCrossEntropyGrad panics if z and y differ in length.
func BinaryCrossEntropyGrad(z, y []float64) []float64 {
	checkSameLen(len(z), len(y))
	g := make([]float64, len(z))
	for k, v := range z {
		g[k] = Sigmoid(v) - y[k]
	}
	return g
}

// OneHot returns a slice of k zeros with a 1 at index label, the target
// distribution of a single-label example.
//
// OneHot panics if label is not in [0, k).
func OneHot(label, k int) []float64 {
	checkLabel(label, k)
	v := make([]float64, k)
	v[label] = 1
	return v
}

// NumericalGrad returns an estimate of the gradient of f at z by central
// differences,
//
//	∂f/∂z_i ≈ (f(z + h·e_i) − f(z − h·e_i)) / (2h),
//
// where e_i is the i-th unit vector. The error is O(h²) from truncation plus
// about ε·|f|/h from rounding, so h around 1e−5 suits float64 functions of
// values near 1. It is the independent check that analytic gradients such as
// CrossEntropyGrad are tested against.
//
// z is not modified (f receives a copy). NumericalGrad panics unless h > 0.
func NumericalGrad(f func([]float64) float64, z []float64, h float64) []float64 {
	return NumericalJacobian(func(x []float64) []float64 { return []float64{f(x)} }, z, h)[0]
}

// Argmax returns the index of the largest entry of p, the predicted class.
// Ties go to the smallest index and NaN entries are skipped. If p is empty or
// holds only NaNs, Argmax returns −1.
//
// Argmax(Softmax(z)) == Argmax(z): softmax is increasing, so it never changes
// the prediction, only the confidence.
func Argmax(p []float64) int {
	best := -1
	for i, v := range p {
		if math.IsNaN(v) {
			continue
		}
		if best < 0 || v > p[best] {
			best = i
		}
	}
	return best
}

// Sum returns p_0 + p_1 + … + p_(K−1), added in order; 0 for an empty slice.
// Sum(Softmax(z)) is 1 up to rounding, while the sigmoids of K logits sum to
// anything in (0, K).
func Sum(p []float64) float64 {
	var s float64
	for _, v := range p {
		s += v
	}
	return s
}

// SoftmaxJacobian returns the K×K Jacobian of p = softmax(z),
//
//	J[i][j] = ∂p_i/∂z_j = p_i(δ_ij − p_j),   i.e.   J = diag(p) − p pᵀ.
//
// J is symmetric, and each row and column sums to 0 because Σ_i p_i = 1 for
// every z. By the chain rule, the gradient with respect to z of a loss L(p)
// is Jᵀ g = p ⊙ (g − (g·p)) with g = ∂L/∂p. For L = −log p_label,
// g = −onehot(label)/p_label and the product collapses to
// softmax(z) − onehot(label), which is CrossEntropyGrad.
func SoftmaxJacobian(z []float64) [][]float64 {
	p := Softmax(z)
	k := len(p)
	j := make([][]float64, k)
	for r := range j {
		j[r] = make([]float64, k)
		for c := range j[r] {
			j[r][c] = -p[r] * p[c]
		}
		j[r][r] += p[r]
	}
	return j
}

// maxOf returns the largest entry of a non-empty z.
func maxOf(z []float64) float64 {
	m := z[0]
	for _, v := range z[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

func checkLabel(label, k int) {
	if label < 0 || label >= k {
		panic(fmt.Sprintf("refmath: label %d out of range [0, %d)", label, k))
	}
}

func checkSameLen(nz, ny int) {
	if nz != ny {
		panic(fmt.Sprintf("refmath: logits and targets differ in length: %d != %d", nz, ny))
	}
}
