package mlcore

import (
	"errors"
	"fmt"
)

// NumClasses is the number of digit classes, 0..9, in every data set of this package.
const NumClasses = 10

// Dataset is a set of labelled images held in host memory as plain slices.
//
// Pixels are stored row-major, one image after the other, scaled to [0, 1]:
// image i occupies Images[i*Features : (i+1)*Features], and Features == Height*Width.
type Dataset struct {
	Name          string // e.g. "digits/train", "mnist/test".
	Images        []float32
	Labels        []int32 // 0..NumClasses-1, one per image.
	Height, Width int     // Image size in pixels (8×8 for digits, 28×28 for MNIST).
	Features      int     // Height*Width.
}

// Len returns the number of examples.
func (d *Dataset) Len() int { return len(d.Labels) }

// Image returns the pixels of example i (a sub-slice, not a copy).
func (d *Dataset) Image(i int) []float32 { return d.Images[i*d.Features : (i+1)*d.Features] }

// Split is a pair of disjoint train and test sets of the same image size.
type Split struct {
	Train, Test *Dataset
}

// Check reports the first inconsistency of d: sizes that do not match, a label outside 0..9, or a
// pixel that is NaN, infinite or outside [0, 1].
func (d *Dataset) Check() error {
	switch {
	case d == nil:
		return errors.New("mlcore: nil data set")
	case d.Features <= 0 || d.Features != d.Height*d.Width:
		return fmt.Errorf("mlcore: %s: %d features for %d×%d images", d.Name, d.Features, d.Height, d.Width)
	case len(d.Images) != len(d.Labels)*d.Features:
		return fmt.Errorf("mlcore: %s: %d pixel values for %d labels of %d pixels", d.Name, len(d.Images), len(d.Labels), d.Features)
	}
	for i, l := range d.Labels {
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
