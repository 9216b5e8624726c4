package mlcore

import (
	"fmt"
	"os"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// DefaultBackendConfig configures GoMLX's pure-Go backend for this package.
//
// "ops_sequential" runs the operations of one graph one after the other, each of them using all
// cores inside (matrix products are split across workers). With the backend's default, which runs
// independent operations of a graph concurrently, several large independent matrix products (both heads
// evaluated on a big batch, say) can each hold a worker slot while waiting for slots to split their own
// work: with all slots held, the process hangs forever (GoMLX v0.28.2). Sequential ops cannot deadlock
// this way, and for these small networks on a few cores they are no slower.
const DefaultBackendConfig = "ops_sequential"

// BackendConfigEnv names the environment variable that overrides DefaultBackendConfig
// (for experiments and benchmarks; e.g. "ops_parallel" or "ops_sequential,parallelism=1").
const BackendConfigEnv = "TWOHEADS_BACKEND_CONFIG"

var backendOnce = sync.OnceValues(func() (compute.Backend, error) {
	cfg := DefaultBackendConfig
	if v, ok := os.LookupEnv(BackendConfigEnv); ok {
		cfg = v
	}
	b, err := gobackend.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("mlcore: Go backend with config %q: %w", cfg, err)
	}
	return b, nil
})

// Backend returns the process-wide compute backend: GoMLX's pure-Go backend, configured by
// DefaultBackendConfig (or $TWOHEADS_BACKEND_CONFIG). It never pulls XLA, so it works offline.
func Backend() (compute.Backend, error) { return backendOnce() }
