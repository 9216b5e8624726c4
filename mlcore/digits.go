package mlcore

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The 8×8 digits are small enough (under 60 KB compressed) to compile into
// the package, so LoadDigits works anywhere, offline. See data/README.md for
// the source and license.
//
//go:embed data/digits.csv.gz
var digitsCSVGz []byte

const (
	digitsSide     = 8
	digitsFeatures = digitsSide * digitsSide
	digitsMaxPixel = 16 // Pixel values in the CSV are counts 0..16.
)

// DefaultTestFraction is the share of each class that DigitsSplit puts in the
// test set when the caller has no reason to choose another.
const DefaultTestFraction = 0.25

// LoadDigits returns all 1797 examples of the embedded UCI 8×8 digits, in file
// order, with pixels scaled from 0..16 to [0, 1] and Name "digits".
func LoadDigits() (*Dataset, error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsCSVGz))
	if err != nil {
		return nil, fmt.Errorf("digits: embedded data: %w", err)
	}
	defer zr.Close()
	return ParseDigitsCSV(zr, "digits")
}

// ParseDigitsCSV reads digits in the format of the embedded file: uncompressed
// CSV without a header, one example per row, 64 pixel values 0..16 (an 8×8
// image, row-major) followed by the label 0..9. The result is named name.
//
// Parsing stops at the first bad row; the error names the data set, the line
// (counting from 1) and what is wrong with it.
func ParseDigitsCSV(r io.Reader, name string) (*Dataset, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // Check the count ourselves, for a clearer message.
	cr.ReuseRecord = true
	d := &Dataset{Name: name, Height: digitsSide, Width: digitsSide, Features: digitsFeatures}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil { // A *csv.ParseError, which gives the line itself.
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != digitsFeatures+1 {
			return nil, fmt.Errorf("%s: line %d: got %d columns, want %d (64 pixels and a label)",
				name, line, len(rec), digitsFeatures+1)
		}
		for col, field := range rec {
			v, err := strconv.Atoi(strings.TrimSpace(field))
			if err != nil {
				return nil, fmt.Errorf("%s: line %d, column %d: %q is not an integer", name, line, col+1, field)
			}
			switch {
			case col < digitsFeatures && (v < 0 || v > digitsMaxPixel):
				return nil, fmt.Errorf("%s: line %d, column %d: pixel %d is outside 0..%d",
					name, line, col+1, v, digitsMaxPixel)
			case col < digitsFeatures:
				d.Images = append(d.Images, float32(v)/digitsMaxPixel)
			case v < 0 || v >= NumClasses:
				return nil, fmt.Errorf("%s: line %d, column %d: label %d is outside 0..%d",
					name, line, col+1, v, NumClasses-1)
			default:
				d.Labels = append(d.Labels, int32(v))
			}
		}
	}
	if d.Len() == 0 {
		return nil, fmt.Errorf("%s: no rows", name)
	}
	return d, nil
}

// DigitsSplit loads the digits and splits them into disjoint train and test
// sets named "digits/train" and "digits/test".
//
// The split is stratified: each class contributes round(testFraction*n) of its
// n examples to the test set, so both sets keep the class balance of the whole.
// It is also reproducible: everything random comes from one math/rand/v2 PCG
// generator seeded with (seed, 0), so the same seed gives the same split.
// For each class in turn (0..9) the generator shuffles that class's indices and
// the first ones go to test; then it shuffles the train set and then the test
// set, so that neither is ordered by class. testFraction must lie in (0, 1).
func DigitsSplit(seed int64, testFraction float64) (Split, error) {
	d, err := LoadDigits()
	if err != nil {
		return Split{}, err
	}
	return stratifiedSplit(d, seed, testFraction, "digits/train", "digits/test")
}

// stratifiedSplit implements DigitsSplit for any data set; see there.
func stratifiedSplit(d *Dataset, seed int64, testFraction float64, trainName, testName string) (Split, error) {
	if !(testFraction > 0 && testFraction < 1) { // Also rejects NaN.
		return Split{}, fmt.Errorf("%s: test fraction %v is outside (0, 1)", d.Name, testFraction)
	}
	var byClass [NumClasses + 1][]int // The last bucket holds the empty sets (NoLabel) of a data set with Sets.
	for i, y := range d.Labels {
		b := int(y)
		if y == NoLabel {
			b = NumClasses
		}
		byClass[b] = append(byClass[b], i)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	var train, test []int
	for _, idx := range byClass {
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		k := int(math.Round(testFraction * float64(len(idx))))
		test = append(test, idx[:k]...)
		train = append(train, idx[k:]...)
	}
	if len(train) == 0 || len(test) == 0 {
		return Split{}, errors.New(d.Name + ": split leaves the train or the test set empty")
	}
	rng.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
	rng.Shuffle(len(test), func(i, j int) { test[i], test[j] = test[j], test[i] })
	return Split{Train: d.selectExamples(train, trainName), Test: d.selectExamples(test, testName)}, nil
}

// selectExamples returns a new data set, named name, holding copies of the examples
// at the given indices, in that order.
func (d *Dataset) selectExamples(indices []int, name string) *Dataset {
	s := &Dataset{
		Name:     name,
		Images:   make([]float32, 0, len(indices)*d.Features),
		Labels:   make([]int32, 0, len(indices)),
		Height:   d.Height,
		Width:    d.Width,
		Features: d.Features,
	}
	for _, i := range indices {
		s.Images = append(s.Images, d.Image(i)...)
		s.Labels = append(s.Labels, d.Labels[i])
		if d.Sets != nil {
			s.Sets = append(s.Sets, d.Sets[i])
		}
	}
	return s
}
