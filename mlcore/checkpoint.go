package mlcore

import (
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// metaFile is the file, next to GoMLX's checkpoint files, that says what the checkpoint holds.
const metaFile = "twoheads.json"

// formatVersion changes whenever the saved layout changes. Changes of the training code change the cache
// key by themselves (trainingCode).
const formatVersion = 1

// sources is this package's Go source, embedded so that the cache key follows the training code.
//
//go:embed *.go
var sources embed.FS

// trainingCode is a digest of everything, besides the configuration and the data, that decides the
// model Train makes: the source of this package (test files aside; any edit counts, even a comment's),
// the version of every module the program is built with (GoMLX above all), whether the Go backend
// uses SIMD, and the architecture. A cached model whose key matches was made by the same code.
var trainingCode = sync.OnceValue(func() string { return codeDigest(sources, buildDeps()) })

// codeDigest hashes the non-test Go files of src, in name order, and deps.
func codeDigest(src fs.FS, deps []string) string {
	h := sha256.New()
	names, _ := fs.Glob(src, "*.go")
	slices.Sort(names)
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, _ := fs.ReadFile(src, name)
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	for _, d := range deps {
		fmt.Fprintln(h, d)
	}
	fmt.Fprintf(h, "simd=%v %s\n", SIMD, runtime.GOARCH)
	return hex.EncodeToString(h.Sum(nil))
}

// buildDeps lists the modules the program was built with, as path@version (or their replacements).
func buildDeps() []string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	var deps []string
	for _, d := range info.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		deps = append(deps, d.Path+"@"+d.Version)
	}
	slices.Sort(deps)
	return deps
}

type meta struct {
	Format   int      `json:"format"`
	Config   Config   `json:"config"`
	Features int      `json:"features"`
	History  *History `json:"history,omitempty"`
}

// Save writes the model (a GoMLX checkpoint plus a twoheads.json describing it, including hist if not
// nil) into dir, which must not exist yet: Save never overwrites. The files are written to a temporary
// directory first and renamed into place, so dir is either complete or absent.
func (m *Model) Save(dir string, hist *History) error {
	if _, err := os.Stat(dir); err == nil {
		return fmt.Errorf("mlcore: saving model: %s already exists (remove it or choose another directory)", dir)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("mlcore: saving model: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".saving-"+filepath.Base(dir)+"-")
	if err != nil {
		return fmt.Errorf("mlcore: saving model: %w", err)
	}
	defer os.RemoveAll(tmp)               // Gone after the rename; cleans up after a failure.
	for _, head := range m.Config.Heads { // One GoMLX checkpoint per head, in a sub-directory named after it.
		h, err := checkpoint.Build(m.stores[head]).Dir(filepath.Join(tmp, head.String())).Done()
		if err != nil {
			return fmt.Errorf("mlcore: saving model to %s: %w", dir, err)
		}
		if err := h.Save(); err != nil {
			return fmt.Errorf("mlcore: saving model to %s: %w", dir, err)
		}
	}
	b, err := json.MarshalIndent(meta{Format: formatVersion, Config: m.Config, Features: m.Features, History: hist}, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, metaFile), b, 0o644); err != nil {
		return fmt.Errorf("mlcore: saving model: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("mlcore: saving model: %w", err)
	}
	return nil
}

// Load reads a model written by Save, and the training history saved with it (nil if none).
func Load(dir string) (*Model, *History, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("mlcore: %s is not a saved model: no %s in it", dir, metaFile)
		}
		return nil, nil, fmt.Errorf("mlcore: loading model: %w", err)
	}
	var mt meta
	if err := json.Unmarshal(b, &mt); err != nil {
		return nil, nil, fmt.Errorf("mlcore: loading model: %s: %w", filepath.Join(dir, metaFile), err)
	}
	if mt.Format != formatVersion {
		return nil, nil, fmt.Errorf("mlcore: %s was saved in format %d, this version reads format %d: train it again",
			dir, mt.Format, formatVersion)
	}
	if err := mt.Config.Validate(); err != nil {
		return nil, nil, fmt.Errorf("mlcore: %s: %w", dir, err)
	}
	if mt.Features <= 0 {
		return nil, nil, fmt.Errorf("mlcore: %s: bad input size %d", dir, mt.Features)
	}
	m, err := newModel(mt.Config, mt.Features)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range m.Config.Heads {
		if _, err := checkpoint.Load(m.stores[h]).Dir(filepath.Join(dir, h.String())).Immediate().Done(); err != nil {
			return nil, nil, fmt.Errorf("mlcore: loading %s head from %s: %w", h, dir, err)
		}
	}
	// Every weight of every head must be there, with the shape the config implies.
	in := m.Features
	for i, out := range append(slices.Clone(m.Config.Hidden), NumClasses) {
		for _, h := range m.Config.Heads {
			out := out
			if i == len(m.Config.Hidden) {
				out = h.Logits()
			}
			p := model.JoinPath("/", h.String(), layerName(i, len(m.Config.Hidden)), "dense", "weights")
			v := m.stores[h].GetVariable(p)
			if v == nil {
				return nil, nil, fmt.Errorf("mlcore: %s: checkpoint has no variable %s", dir, p)
			}
			if want := weightsTensor(make([]float32, in*out), in, out).Shape(); !v.Shape().Equal(want) {
				return nil, nil, fmt.Errorf("mlcore: %s: %s has shape %v, want %v", dir, p, v.Shape(), want)
			}
		}
		in = out
	}
	return m, mt.History, nil
}

// CacheDirEnv names the environment variable that overrides DefaultCacheDir.
const CacheDirEnv = "TWOHEADS_CACHE_DIR"

// DefaultCacheDir is where TrainOrLoad keeps trained models: $TWOHEADS_CACHE_DIR, else
// <user cache dir>/twoheads/models.
func DefaultCacheDir() (string, error) {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d, nil
	}
	c, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mlcore: no cache directory (set $%s): %w", CacheDirEnv, err)
	}
	return filepath.Join(c, "twoheads", "models"), nil
}

// CacheKey identifies a training run: the configuration, a digest of every image and label of the
// split's training and test sets, and the training code (trainingCode). Equal keys mean Train would
// produce the same model.
func CacheKey(split Split, cfg Config) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "twoheads model format %d\ncode %s\n", formatVersion, trainingCode())
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	h.Write(b)
	for _, d := range []*Dataset{split.Train, split.Test} {
		if d == nil {
			h.Write([]byte{0})
			continue
		}
		_ = binary.Write(h, binary.LittleEndian, []int64{int64(d.Height), int64(d.Width), int64(d.Len())})
		_ = binary.Write(h, binary.LittleEndian, d.Images)
		_ = binary.Write(h, binary.LittleEndian, d.Labels)
		if d.Sets != nil { // Only when present, so that keys of single-label data do not change.
			h.Write([]byte("sets"))
			_ = binary.Write(h, binary.LittleEndian, d.Sets)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

// TrainOrLoad returns the model that Train(split, cfg, progress) would return, loading it from
// cacheDir if an earlier call saved it there, else training and saving it. An empty cacheDir means
// DefaultCacheDir(). loaded tells which happened. Notebooks use it so that re-running a cell (each GoNB
// cell is a new process) does not train again.
func TrainOrLoad(cacheDir string, split Split, cfg Config, progress func(Progress)) (m *Model, hist *History, loaded bool, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, false, err
	}
	if cacheDir == "" {
		if cacheDir, err = DefaultCacheDir(); err != nil {
			return nil, nil, false, err
		}
	}
	key, err := CacheKey(split, cfg)
	if err != nil {
		return nil, nil, false, err
	}
	dir := filepath.Join(cacheDir, key)
	if _, statErr := os.Stat(filepath.Join(dir, metaFile)); statErr == nil {
		m, hist, err = Load(dir)
		if err == nil {
			return m, hist, true, nil
		}
		// The cache is this package's own: a damaged entry is removed and trained again.
		fmt.Fprintf(os.Stderr, "mlcore: replacing unreadable cached model (%v)\n", err)
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, false, fmt.Errorf("mlcore: removing damaged cached model: %w", err)
		}
	}
	m, hist, err = Train(split, cfg, progress)
	if err != nil {
		return nil, nil, false, err
	}
	if err := m.Save(dir, hist); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, metaFile)); statErr == nil {
			return m, hist, false, nil // Another process saved the same model first.
		}
		return nil, nil, false, err
	}
	return m, hist, false, nil
}
