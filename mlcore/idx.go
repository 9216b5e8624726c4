package mlcore

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"
)

// The IDX format (LeCun et al., http://yann.lecun.com/exdb/mnist/) is a
// big-endian header followed by raw unsigned bytes. Its magic number encodes
// the element type (0x08: unsigned byte) and the number of dimensions.
const (
	idxImagesMagic = 0x00000803 // Unsigned bytes, 3 dimensions: count, rows, columns.
	idxLabelsMagic = 0x00000801 // Unsigned bytes, 1 dimension: count.

	maxIDXSide  = 10000   // Largest believable rows or columns of one image.
	maxIDXBytes = 1 << 30 // Largest believable payload (n*rows*cols or n), 1 GiB.
)

// ReadIDXImages reads an uncompressed IDX file of images: the magic number
// 0x00000803, then the image count n, rows h and columns w as big-endian
// uint32, then n*h*w bytes, one per pixel, row-major. Pixels are scaled from
// 0..255 to [0, 1].
//
// Errors begin with name (usually the file's path) and say what is wrong:
// a bad magic number, an absurd size, or data shorter or longer than the
// header announces.
func ReadIDXImages(r io.Reader, name string) (images []float32, n, h, w int, err error) {
	var hdr [4]uint32
	if err := readIDXHeader(r, name, hdr[:], idxImagesMagic, "an IDX image file"); err != nil {
		return nil, 0, 0, 0, err
	}
	n, h, w = int(hdr[1]), int(hdr[2]), int(hdr[3])
	if h == 0 || w == 0 || h > maxIDXSide || w > maxIDXSide {
		return nil, 0, 0, 0, fmt.Errorf("%s: absurd image size %d×%d: rows and columns must be in 1..%d",
			name, h, w, maxIDXSide)
	}
	size := uint64(hdr[1]) * uint64(hdr[2]) * uint64(hdr[3]) // Cannot overflow: < 2³² · 10⁸.
	if size > maxIDXBytes {
		return nil, 0, 0, 0, fmt.Errorf("%s: %d images of %d×%d make %d bytes, more than the limit of %d",
			name, n, h, w, size, maxIDXBytes)
	}
	raw, err := readIDXPayload(r, name, int(size))
	if err != nil {
		return nil, 0, 0, 0, err
	}
	images = make([]float32, len(raw))
	for i, b := range raw {
		images[i] = float32(b) / 255
	}
	return images, n, h, w, nil
}

// ReadIDXLabels reads an uncompressed IDX file of labels: the magic number
// 0x00000801, then the count n as a big-endian uint32, then n bytes, one
// label 0..9 each.
//
// Errors begin with name and say what is wrong, as for ReadIDXImages; a label
// outside 0..9 is an error too.
func ReadIDXLabels(r io.Reader, name string) ([]int32, error) {
	var hdr [2]uint32
	if err := readIDXHeader(r, name, hdr[:], idxLabelsMagic, "an IDX labels file"); err != nil {
		return nil, err
	}
	if hdr[1] > maxIDXBytes {
		return nil, fmt.Errorf("%s: absurd label count %d, more than the limit of %d", name, hdr[1], maxIDXBytes)
	}
	raw, err := readIDXPayload(r, name, int(hdr[1]))
	if err != nil {
		return nil, err
	}
	labels := make([]int32, len(raw))
	for i, b := range raw {
		if b >= NumClasses {
			return nil, fmt.Errorf("%s: label %d at index %d is outside 0..%d", name, b, i, NumClasses-1)
		}
		labels[i] = int32(b)
	}
	return labels, nil
}

// readIDXHeader fills hdr with the big-endian uint32 words at the start of r
// and checks that the first one is the magic number want; kind names what
// that number stands for, as in "an IDX image file".
func readIDXHeader(r io.Reader, name string, hdr []uint32, want uint32, kind string) error {
	buf := make([]byte, 4*len(hdr))
	got, err := io.ReadFull(r, buf)
	// Check the magic number first: a wrong one explains a short header too.
	if magic := binary.BigEndian.Uint32(buf); got >= 4 && magic != want {
		hint := "not " + kind
		switch {
		case magic == idxImagesMagic:
			hint += " (it looks like an IDX image file: are the files swapped?)"
		case magic == idxLabelsMagic:
			hint += " (it looks like an IDX labels file: are the files swapped?)"
		case buf[0] == gzipID1 && buf[1] == gzipID2:
			hint += " (it is gzip-compressed: decompress it first)"
		}
		return fmt.Errorf("%s: bad magic number 0x%08x, expected 0x%08x: %s", name, magic, want, hint)
	}
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return fmt.Errorf("%s: truncated header: expected %d bytes, got %d", name, len(buf), got)
	case err != nil:
		return fmt.Errorf("%s: %w", name, err)
	}
	for i := range hdr {
		hdr[i] = binary.BigEndian.Uint32(buf[4*i:])
	}
	return nil
}

// readIDXPayload reads exactly size bytes, the rest of r. It reads at most one
// byte more, to tell a file that is too long from one that is exact, and only
// allocates as much as r really holds, so a lying header cannot make it
// reserve a gigabyte.
func readIDXPayload(r io.Reader, name string, size int) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, int64(size)+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	case len(raw) < size:
		return nil, fmt.Errorf("%s: truncated: expected %d bytes of data after the header, got %d",
			name, size, len(raw))
	case len(raw) > size:
		return nil, fmt.Errorf("%s: more data than the header announces (%d bytes)", name, size)
	}
	return raw, nil
}

// The first two bytes of every gzip stream (RFC 1952).
const gzipID1, gzipID2 = 0x1f, 0x8b

// openIDX opens the file at path for reading, decompressed if it is gzipped.
// Compression is recognised by content, not by name, so a file named .gz that
// is not gzipped gets an error saying so rather than a puzzling magic number.
func openIDX(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	id, _ := br.Peek(2) // Shorter files fail later, with "truncated header".
	isGzip := len(id) == 2 && id[0] == gzipID1 && id[1] == gzipID2
	switch {
	case isGzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return readCloser{zr, f}, nil
	case strings.HasSuffix(path, ".gz"):
		f.Close()
		return nil, fmt.Errorf("%s: named .gz but not gzip-compressed (it starts with % x, not 1f 8b)", path, id)
	}
	return readCloser{br, f}, nil
}

// readCloser reads from one reader and closes a file.
type readCloser struct {
	io.Reader
	f *os.File
}

func (rc readCloser) Close() error { return rc.f.Close() }

func readIDXImagesFile(path string) (images []float32, n, h, w int, err error) {
	rc, err := openIDX(path)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer rc.Close()
	return ReadIDXImages(rc, path)
}

func readIDXLabelsFile(path string) ([]int32, error) {
	rc, err := openIDX(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return ReadIDXLabels(rc, path)
}
