package refmath

import (
	"fmt"
	"math"
)

// The two normalisers. The softmax head's loss is CE = LogSumExp(z) − z_y: a log-normaliser over the K
// classes, minus the true logit. The sigmoid head's is
//
//	BCE = Σ_k Softplus(z_k) − Σ_k y_k z_k,
//
// and its normaliser is a sum over all 2^K subsets S of the classes:
//
//	Σ_k log(1 + e^(z_k)) = log Π_k (1 + e^(z_k)) = log Σ_S e^(z_S),   z_S = Σ_(k∈S) z_k,
//
// (expand the product: each factor contributes 1, "k not in S", or e^(z_k), "k in S"). So the sigmoid
// head is a softmax over the 2^K label sets, with logit z_S for set S, and for a one-hot target BCE is
// −log P(S = {y}). In single-label data only the K one-element sets occur; the others take probability
// all the same. Conditioned on "exactly one yes", the K Bernoullis give back softmax(z) (ExactlyOne),
// hence BCE = CE − LogProbExactlyOne(z).

// maxSubsetClasses bounds the K of the brute-force sums over all 2^K subsets.
const maxSubsetClasses = 20

// Sigmoids returns σ(z_k) for every k: the outputs of the sigmoid head.
func Sigmoids(z []float64) []float64 {
	p := make([]float64, len(z))
	for k, v := range z {
		p[k] = Sigmoid(v)
	}
	return p
}

// SigmoidLogNormaliser returns Σ_k Softplus(z_k) = log Π_k (1 + e^(z_k)), the log-normaliser of the
// sigmoid head: BCE(z, y) = SigmoidLogNormaliser(z) − Σ_k y_k z_k. It equals SubsetLogSumExp(z), the
// log-sum-exp over all 2^K subsets, computed in K steps instead of 2^K.
func SigmoidLogNormaliser(z []float64) float64 {
	var s float64
	for _, v := range z {
		s += Softplus(v)
	}
	return s
}

// SubsetLogit returns z_S = Σ_(k∈S) z_k, the logit of the set S of classes (bit k of set: class k).
func SubsetLogit(z []float64, set uint32) float64 {
	checkSubsetSize(len(z))
	var s float64
	for k, v := range z {
		if set>>k&1 == 1 {
			s += v
		}
	}
	return s
}

// SubsetLogSumExp returns log Σ_S e^(z_S) over all 2^K subsets S of the K classes, the empty set
// included, by brute force: 2^K terms. It is the reference for SigmoidLogNormaliser. It panics for
// K > 20.
func SubsetLogSumExp(z []float64) float64 {
	checkSubsetSize(len(z))
	logits := make([]float64, 1<<len(z))
	for s := range logits {
		logits[s] = SubsetLogit(z, uint32(s))
	}
	return LogSumExp(logits)
}

// SetProbability returns the probability that the sigmoid head, read as K independent yes/no answers
// with P(yes_k) = σ(z_k), answers exactly the set S (bit k of set: class k):
//
//	P(S) = Π_(k∈S) σ(z_k) · Π_(k∉S) (1 − σ(z_k)) = e^(z_S) / Π_k (1 + e^(z_k)).
//
// It is computed as exp(z_S − SigmoidLogNormaliser(z)). It panics for K > 20.
func SetProbability(z []float64, set uint32) float64 {
	return math.Exp(SubsetLogit(z, set) - SigmoidLogNormaliser(z))
}

// LogProbExactlyOne returns log P(exactly one of the K answers is yes) for the sigmoid head,
//
//	log Σ_k e^(z_k) / Π_j (1 + e^(z_j)) = LogSumExp(z) − SigmoidLogNormaliser(z),
//
// the share of its probability that the sigmoid head puts on the K sets that single-label data can have.
// It is ≤ 0; BCE(z, onehot(y)) = CE(z, y) − LogProbExactlyOne(z).
func LogProbExactlyOne(z []float64) float64 {
	return LogSumExp(z) - SigmoidLogNormaliser(z)
}

// ExactlyOne returns P(class k | exactly one yes) for the sigmoid head: the probability that answer k
// alone is yes, P({k}) = σ(z_k) Π_(j≠k) (1 − σ(z_j)), divided by the sum of these over k. It is computed
// from that definition, with logs. It equals Softmax(z): the factor Π_j (1 − σ(z_j)) is common to every
// k and cancels, leaving σ(z_k)/(1 − σ(z_k)) = e^(z_k). So a sigmoid head's logits give it an NLL
// comparable with the softmax head's: −log ExactlyOne(z)[y] = CrossEntropy(z, y).
func ExactlyOne(z []float64) []float64 {
	logs := make([]float64, len(z))
	for k := range z {
		// log σ(z_k) = −Softplus(−z_k); log(1 − σ(z_j)) = −Softplus(z_j).
		logs[k] = -Softplus(-z[k])
		for j, v := range z {
			if j != k {
				logs[k] -= Softplus(v)
			}
		}
	}
	lse := LogSumExp(logs)
	p := make([]float64, len(z))
	for k, l := range logs {
		p[k] = math.Exp(l - lse)
	}
	return p
}

// ExactlyOneFromOutputs is ExactlyOne for a sigmoid head known only by its outputs p_k = σ(z_k) in
// (0, 1): P(k | exactly one yes) = o_k / Σ_j o_j with the odds o_k = p_k / (1 − p_k) = e^(z_k). (Not
// p_k / Σ_j p_j: conditioning weighs each class by its odds.)
func ExactlyOneFromOutputs(p []float64) []float64 {
	out := make([]float64, len(p))
	var s float64
	for k, v := range p {
		out[k] = v / (1 - v)
		s += out[k]
	}
	for k := range out {
		out[k] /= s
	}
	return out
}

// SigmoidShift returns the c for which Σ_k σ(z_k + c) = target, 0 < target < K: the shift of all the
// logits along which BCE against a target with that many ones is smallest (its derivative in c is
// Σ_k σ(z_k + c) − Σ_k y_k). For a one-hot target, target = 1: the sigmoid head's best common level
// makes its outputs sum to 1. Found by bisection, to about 1e−12.
func SigmoidShift(z []float64, target float64) float64 {
	if !(target > 0 && target < float64(len(z))) {
		panic(fmt.Sprintf("refmath: SigmoidShift target %v: want 0 < target < %d", target, len(z)))
	}
	sum := func(c float64) float64 {
		var s float64
		for _, v := range z {
			s += Sigmoid(v + c)
		}
		return s
	}
	lo, hi := -1.0, 1.0
	for sum(lo) > target {
		lo *= 2
	}
	for sum(hi) < target {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if sum(mid) < target {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-13*math.Max(1, math.Abs(mid)) {
			break
		}
	}
	return (lo + hi) / 2
}

func checkSubsetSize(k int) {
	if k > maxSubsetClasses {
		panic(fmt.Sprintf("refmath: %d classes: sums over all subsets are for at most %d", k, maxSubsetClasses))
	}
}
