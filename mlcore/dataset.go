package mlcore

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

// NumClasses is the number of digit classes, 0..9, in every data set of this package.
const NumClasses = 10

// Dataset is a set of labelled images held in host memory as plain slices.
//
// Pixels are stored row-major, one image after the other, scaled to [0, 1]:
// image i occupies Images[i*Features : (i+1)*Features], and Features == Height*Width.
//
// # Sets of classes
//
// Most data sets have one class per image, given by Labels. A data set may instead give every image a
// set of classes, any number of them from none to all ten: Sets[i] has bit k set when class k is
// present (PairDigits shows two digits at once, NoneOfTheAbove shows none). Labels is then derived
// from Sets and kept for code that wants one class per image: Labels[i] is the lowest class of the set,
// or NoLabel (−1) for the empty set. Validate enforces this, and NoLabel is allowed only with Sets.
//
// When Sets is nil, the set of example i is {Labels[i]}: Set and MultiHot work on every data set.
// Train uses Sets when present (see Train); Evaluate reads only Labels and is for data sets with one
// class per image; EvaluateSets is for sets.
type Dataset struct {
	Name          string // e.g. "digits/train", "mnist/test".
	Images        []float32
	Labels        []int32  // 0..NumClasses-1, one per image; NoLabel for an empty set.
	Sets          []uint16 // Optional: bit k of Sets[i] ⇔ class k is in image i. Nil: {Labels[i]}.
	Height, Width int      // Image size in pixels (8×8 for digits, 28×28 for MNIST).
	Features      int      // Height*Width.
}

// NoLabel is the label of an image whose set of classes is empty ("none of the above"). It is allowed
// only in a data set with Sets.
const NoLabel int32 = -1

// Len returns the number of examples.
func (d *Dataset) Len() int { return len(d.Labels) }

// Image returns the pixels of example i (a sub-slice, not a copy).
func (d *Dataset) Image(i int) []float32 { return d.Images[i*d.Features : (i+1)*d.Features] }

// First returns the first n examples of d (all of them if d has fewer), sharing d's memory, named
// "<name> (first n)".
func (d *Dataset) First(n int) *Dataset {
	n = max(0, min(n, d.Len()))
	c := *d
	c.Name = fmt.Sprintf("%s (first %d)", d.Name, n)
	c.Images, c.Labels = d.Images[:n*d.Features], d.Labels[:n]
	if d.Sets != nil {
		c.Sets = d.Sets[:n]
	}
	return &c
}

// Set returns the classes of example i as a bit set: bit k is set when class k is present. Without
// Sets it is the one-element set {Labels[i]}.
func (d *Dataset) Set(i int) uint16 {
	if d.Sets != nil {
		return d.Sets[i]
	}
	return 1 << d.Labels[i]
}

// MultiHot returns the classes of example i as NumClasses values, 1 for a class present and 0
// otherwise: the target of the sigmoid head. For a single label this is the one-hot vector.
func (d *Dataset) MultiHot(i int) []float32 {
	y := make([]float32, NumClasses)
	s := d.Set(i)
	for k := range y {
		if s&(1<<k) != 0 {
			y[k] = 1
		}
	}
	return y
}

// LowestClass returns the smallest class in set, or NoLabel if set is empty: the Labels value of an
// example whose classes are set.
func LowestClass(set uint16) int32 {
	if set == 0 {
		return NoLabel
	}
	return int32(bits.TrailingZeros16(set))
}

// Split is a set of disjoint data sets of the same image size: Train to fit the weights, Test to
// measure once at the end, and optionally Validation, held out of the training data (HoldOut) to tune
// what training does not fit: a temperature, thresholds, a width, the number of epochs. Tuning on
// Test would make its numbers optimistic.
type Split struct {
	Train, Test *Dataset
	Validation  *Dataset // Nil unless held out. Train never looks at it.
}

// HoldOut returns s with a stratified fraction of its training examples moved into Validation (each
// class, and the empty sets of a data set with Sets, gives the same share); Test is unchanged. The same
// seed gives the same split; fraction must lie in (0, 1).
func (s Split) HoldOut(fraction float64, seed int64) (Split, error) {
	if s.Train == nil {
		return s, errors.New("mlcore: no training set to hold a validation set out of")
	}
	valName := strings.TrimSuffix(s.Train.Name, "/train") + "/validation"
	parts, err := stratifiedSplit(s.Train, seed, fraction, s.Train.Name, valName)
	if err != nil {
		return s, err
	}
	return Split{Train: parts.Train, Validation: parts.Test, Test: s.Test}, nil
}

// Validate reports the first inconsistency of d: sizes that do not match, a label outside 0..9, a set
// with a bit above class 9 or a label that is not its lowest class (NoLabel for an empty set), or a
// pixel that is NaN, infinite or outside [0, 1].
func (d *Dataset) Validate() error {
	switch {
	case d == nil:
		return errors.New("mlcore: nil data set")
	case d.Features <= 0 || d.Features != d.Height*d.Width:
		return fmt.Errorf("mlcore: %s: %d features for %d×%d images", d.Name, d.Features, d.Height, d.Width)
	case len(d.Images) != len(d.Labels)*d.Features:
		return fmt.Errorf("mlcore: %s: %d pixel values for %d labels of %d pixels", d.Name, len(d.Images), len(d.Labels), d.Features)
	case d.Sets != nil && len(d.Sets) != len(d.Labels):
		return fmt.Errorf("mlcore: %s: %d sets for %d labels", d.Name, len(d.Sets), len(d.Labels))
	}
	for i, l := range d.Labels {
		if d.Sets != nil {
			s := d.Sets[i]
			if s>>NumClasses != 0 {
				return fmt.Errorf("mlcore: %s: example %d has set %#x, with classes above %d", d.Name, i, s, NumClasses-1)
			}
			if want := LowestClass(s); l != want {
				return fmt.Errorf("mlcore: %s: example %d has set %s and label %d, want its lowest class %d", d.Name, i, SetString(s), l, want)
			}
			continue
		}
		if l < 0 || l >= NumClasses {
			return fmt.Errorf("mlcore: %s: example %d has label %d, want 0..%d", d.Name, i, l, NumClasses-1)
		}
	}
	for i, v := range d.Images {
		if !(v >= 0 && v <= 1) { // Also catches NaN.
			return fmt.Errorf("mlcore: %s: example %d, pixel %d is %v, want a value in [0, 1]", d.Name, i/d.Features, i%d.Features, v)
		}
	}
	return nil
}
