package plots

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EchartsVersion is the version of the echarts library that draws the charts: the one go-echarts
// v2.7.2 writes its options for, pinned in the package.json of the twoheads module.
const EchartsVersion = "5.4.3"

// EchartsEnv is the environment variable that, when set, is the path of echarts.min.js.
const EchartsEnv = "TWOHEADS_ECHARTS_JS"

// echartsFile is where npm puts the library, under a folder that has node_modules.
var echartsFile = filepath.Join("node_modules", "echarts", "dist", "echarts.min.js")

// ErrNoEcharts is the error (wrapped, with where it looked and how to install the library) of
// EchartsPath and of everything that draws when the echarts library is not installed.
var ErrNoEcharts = errors.New("the echarts library that draws the charts is not installed")

// EchartsPath returns the path of the echarts library, echarts.min.js, that pages and notebooks
// embed: the charts are drawn offline, with nothing fetched from the network.
//
// It looks, in order:
//
//  1. at $TWOHEADS_ECHARTS_JS, if set (then nowhere else);
//  2. in node_modules/echarts/dist/ of the working directory and each of its parents, as Node.js
//     does; the first echarts found must be version EchartsVersion;
//  3. in node_modules/echarts/dist/ of the twoheads module this package was built from (found from
//     the location of its source), for programs run from elsewhere.
//
// `npm ci` in the twoheads module installs the library (package.json pins it). When it is not found,
// the error wraps ErrNoEcharts and says where it looked and how to install it.
func EchartsPath() (string, error) {
	if p := os.Getenv(EchartsEnv); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() || fi.Size() == 0 {
			return "", fmt.Errorf("plots: %w: $%s is %s, which is not echarts.min.js", ErrNoEcharts, EchartsEnv, p)
		}
		return p, nil
	}
	var tried []string
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if p, ok, err := echartsIn(dir); ok || err != nil {
				return p, err
			}
			tried = append(tried, filepath.Join(dir, echartsFile))
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	root := sourceRoot()
	if root != "" {
		if p, ok, err := echartsIn(root); ok || err != nil {
			return p, err
		}
		tried = append(tried, filepath.Join(root, echartsFile))
	}
	where := "the twoheads module (the folder of its package.json)"
	if root != "" {
		where = root
	}
	return "", fmt.Errorf("plots: %w (echarts %s): looked for %s\n"+
		"Install it with `npm ci` in %s, or set $%s to the path of echarts.min.js",
		ErrNoEcharts, EchartsVersion, strings.Join(tried, ", "), where, EchartsEnv)
}

// echartsIn reports whether dir has node_modules/echarts; it is an error if that echarts is not version
// EchartsVersion or lacks echarts.min.js.
func echartsIn(dir string) (path string, ok bool, err error) {
	pkg := filepath.Join(dir, "node_modules", "echarts", "package.json")
	b, err := os.ReadFile(pkg)
	if err != nil {
		return "", false, nil
	}
	var meta struct{ Version string }
	if err := json.Unmarshal(b, &meta); err != nil || meta.Version != EchartsVersion {
		return "", false, fmt.Errorf("plots: %w: %s is echarts %q, not %s: run `npm ci` in %s", ErrNoEcharts, pkg, meta.Version, EchartsVersion, dir)
	}
	path = filepath.Join(dir, echartsFile)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return "", false, fmt.Errorf("plots: %w: %s is missing or empty: run `npm ci` in %s", ErrNoEcharts, path, dir)
	}
	return path, true, nil
}

// sourceRoot is the root of the twoheads module that this file was compiled from, or "" when the
// build does not record it (-trimpath) or the folder is gone.
func sourceRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(file))
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return ""
	}
	return root
}

// echartsJS returns the code of the echarts library.
func echartsJS() ([]byte, error) {
	p, err := EchartsPath()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("plots: reading the echarts library: %w", err)
	}
	return b, nil
}
