package mlcore

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
)

// This file builds data sets whose images hold a set of classes rather than exactly one (see Dataset,
// "Sets of classes"): two digits side by side, one digit on a wide canvas, and images with no digit at
// all. They are what the sigmoid head can answer and the softmax head cannot.
//
// A typical training set for the 8×8 digits mixes all three, so that the network sees sets of size
// two, one and zero in the same 8×16 format:
//
//	split, _ := mlcore.DigitsSplit(42, mlcore.DefaultTestFraction)
//	pairs := mlcore.PairDigits(split.Train, 3000, 1)
//	train, _ := mlcore.Concat("multi/train", pairs,
//		mlcore.SingleDigitsWide(split.Train, 2), mlcore.NoneOfTheAbove(pairs, 600, 3))
//
// Every builder draws from its own math/rand/v2 PCG generator seeded with seed: the same arguments give
// the same data set. Examples come out in the order they were drawn; Train shuffles.

// SetOf returns the bit set of the given classes (each in 0..NumClasses-1): SetOf(3, 7) has bits 3 and 7.
// SetOf() is the empty set.
func SetOf(classes ...int) uint16 {
	var s uint16
	for _, k := range classes {
		if k < 0 || k >= NumClasses {
			panic(fmt.Sprintf("mlcore.SetOf: class %d is outside 0..%d", k, NumClasses-1))
		}
		s |= 1 << k
	}
	return s
}

// SetSize returns the number of classes in set.
func SetSize(set uint16) int { return bits.OnesCount16(set) }

// SetString writes set as its classes in braces, "{3, 7}"; the empty set is "{}".
func SetString(set uint16) string {
	var b strings.Builder
	b.WriteByte('{')
	for k := range 16 {
		if set&(1<<k) != 0 {
			if b.Len() > 1 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(k))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// PairDigits returns n images of two digits side by side, each drawn at random from d: an image of d
// on the left and another on the right, so H×2W pixels (8×16 for the 8×8 digits). The set of an image
// is the union of its two halves' sets: {a, b}, or the one-element set {a} when both halves show the
// same class. About one pair in ten has a repeated class (for balanced classes). The result is named
// d.Name+"/pairs".
//
// Build test pairs from test images (PairDigits(split.Test, …)): pairs of training images would show
// the model digits it has seen.
func PairDigits(d *Dataset, n int, seed int64) *Dataset {
	mustBuildFrom(d, n, "PairDigits")
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7061_6972_73)) // "pairs"
	out := newSetDataset(d.Name+"/pairs", n, d.Height, 2*d.Width)
	for i := range n {
		a, b := rng.IntN(d.Len()), rng.IntN(d.Len())
		img := out.Image(i)
		paste(img, out.Width, d.Image(a), d.Height, d.Width, 0)
		paste(img, out.Width, d.Image(b), d.Height, d.Width, d.Width)
		out.Sets[i] = d.Set(a) | d.Set(b)
		out.Labels[i] = LowestClass(out.Sets[i])
	}
	return out
}

// SingleDigitsWide returns every image of d, in order, placed on the left or the right half (a fair
// coin per image) of a canvas twice as wide, the other half blank: the one-digit images of the format
// of PairDigits, so that a model trained on pairs also learns that one digit is one class. Sets and
// Labels are those of d (Sets stays nil if d has none, so Evaluate works on the result too). The result
// is named d.Name+"/wide".
func SingleDigitsWide(d *Dataset, seed int64) *Dataset {
	mustBuildFrom(d, 0, "SingleDigitsWide")
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7769_6465)) // "wide"
	n := d.Len()
	out := &Dataset{
		Name:     d.Name + "/wide",
		Images:   make([]float32, n*d.Height*2*d.Width),
		Labels:   append([]int32(nil), d.Labels...),
		Height:   d.Height,
		Width:    2 * d.Width,
		Features: d.Height * 2 * d.Width,
	}
	if d.Sets != nil {
		out.Sets = append([]uint16(nil), d.Sets...)
	}
	for i := range n {
		col := 0
		if rng.IntN(2) == 1 {
			col = d.Width
		}
		paste(out.Image(i), out.Width, d.Image(i), d.Height, d.Width, col)
	}
	return out
}

// NoneKind is one of the kinds of image without a digit that NoneOfTheAbove makes.
type NoneKind int

const (
	// NoneFaint is a nearly blank image: every pixel uniform in [0, a), with the amplitude a itself
	// uniform in [0, 0.25) per image. No ink, no shape.
	NoneFaint NoneKind = iota
	// NoneNoise is uniform noise: every pixel uniform in [0, 1). Ink everywhere, no shape.
	NoneNoise
	// NoneScrambled is an image of the source data set with its pixels shuffled by a random
	// permutation: exactly the ink of a real image (same pixel values, same amount), but none of its
	// strokes. It is the hardest kind: only the arrangement of the pixels says "no digit".
	NoneScrambled

	// NumNoneKinds is the number of kinds.
	NumNoneKinds = 3
)

// String returns "faint", "noise" or "scrambled".
func (k NoneKind) String() string {
	switch k {
	case NoneFaint:
		return "faint"
	case NoneNoise:
		return "noise"
	case NoneScrambled:
		return "scrambled"
	}
	return fmt.Sprintf("NoneKind(%d)", int(k))
}

// NoneKindOf returns the kind of example i of a data set made by NoneOfTheAbove: the kinds take
// turns, NoneKind(i % NumNoneKinds).
func NoneKindOf(i int) NoneKind { return NoneKind(i % NumNoneKinds) }

// NoneOfTheAbove returns n images of d's size that show no digit, each with the empty set (label
// NoLabel): "none of the above". Example i is of kind NoneKindOf(i) — faint, noise and scrambled in
// turn (see NoneKind); scrambled images shuffle the pixels of a random image of d, so take them from
// test images for a test set. The result is named d.Name+"/none".
//
// Pass the data set the none-images will be mixed with (PairDigits' output for 8×16 pairs), so that
// they have its size and its kind of ink.
func NoneOfTheAbove(d *Dataset, n int, seed int64) *Dataset {
	mustBuildFrom(d, n, "NoneOfTheAbove")
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6e6f_6e65)) // "none"
	out := newSetDataset(d.Name+"/none", n, d.Height, d.Width)
	perm := make([]int, d.Features)
	for i := range n {
		img := out.Image(i)
		switch NoneKindOf(i) {
		case NoneFaint:
			a := 0.25 * rng.Float32()
			for p := range img {
				img[p] = a * rng.Float32()
			}
		case NoneNoise:
			for p := range img {
				img[p] = rng.Float32()
			}
		case NoneScrambled:
			src := d.Image(rng.IntN(d.Len()))
			for p := range perm {
				perm[p] = p
			}
			rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
			for p, q := range perm {
				img[p] = src[q]
			}
		}
		out.Labels[i] = NoLabel // Sets[i] is already 0, the empty set.
	}
	return out
}

// Concat returns the examples of ds one data set after the other, in a new data set named name. All
// must have the same image size. If any of them has Sets, the result has Sets for every example
// (Set(i) of each); otherwise it has only Labels.
func Concat(name string, ds ...*Dataset) (*Dataset, error) {
	if len(ds) == 0 {
		return nil, errors.New("mlcore: Concat of no data sets")
	}
	withSets := false
	for i, d := range ds {
		switch {
		case d == nil:
			return nil, fmt.Errorf("mlcore: Concat: data set %d is nil", i)
		case d.Height != ds[0].Height || d.Width != ds[0].Width:
			return nil, fmt.Errorf("mlcore: Concat: %s has %d×%d images, %s has %d×%d",
				d.Name, d.Height, d.Width, ds[0].Name, ds[0].Height, ds[0].Width)
		}
		withSets = withSets || d.Sets != nil
	}
	out := &Dataset{Name: name, Height: ds[0].Height, Width: ds[0].Width, Features: ds[0].Features}
	for _, d := range ds {
		out.Images = append(out.Images, d.Images...)
		out.Labels = append(out.Labels, d.Labels...)
		if withSets {
			for i := range d.Len() {
				out.Sets = append(out.Sets, d.Set(i))
			}
		}
	}
	return out, nil
}

// newSetDataset returns n blank h×w images with empty sets, to be filled in.
func newSetDataset(name string, n, h, w int) *Dataset {
	return &Dataset{
		Name:     name,
		Images:   make([]float32, n*h*w),
		Labels:   make([]int32, n),
		Sets:     make([]uint16, n),
		Height:   h,
		Width:    w,
		Features: h * w,
	}
}

// paste copies the h×w image src into the image dst of width dstW, with its left edge at column col.
func paste(dst []float32, dstW int, src []float32, h, w, col int) {
	for r := range h {
		copy(dst[r*dstW+col:r*dstW+col+w], src[r*w:(r+1)*w])
	}
}

// mustBuildFrom panics unless d is a non-empty data set of consistent size and n ≥ 0: the builders
// take their data from the caller, so a bad argument is a programming error (as in Evaluate).
func mustBuildFrom(d *Dataset, n int, fn string) {
	switch {
	case d == nil || d.Len() == 0:
		panic("mlcore." + fn + ": no source images")
	case d.Features != d.Height*d.Width || len(d.Images) != d.Len()*d.Features:
		panic(fmt.Sprintf("mlcore.%s: %s: %d pixel values for %d images of %d×%d", fn, d.Name, len(d.Images), d.Len(), d.Height, d.Width))
	case n < 0:
		panic(fmt.Sprintf("mlcore.%s: %d examples", fn, n))
	}
}
