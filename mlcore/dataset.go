package mlcore

// NumClasses is the number of digit classes, 0..9, in every data set of this package.
const NumClasses = 10

// Dataset is a set of labelled images held in host memory as plain slices.
//
// Pixels are stored row-major, one image after the other, scaled to [0, 1]:
// image i occupies Images[i*Features : (i+1)*Features], and Features == Height*Width.
type Dataset struct {
	Name          string  // e.g. "digits/train", "mnist/test".
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
