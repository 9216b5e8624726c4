package mlcore

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// TestNoHangOnLargeIndependentMatmuls evaluates both heads of a 784→128→10 model on 10,000 examples
// in one graph: two large, independent matrix products. With GoMLX v0.28.2's Go backend running
// independent ops concurrently (its default), all worker slots can end up held by products that wait for
// slots, and the call never returns: with "parallelism=2" alone it hangs every time. The package's backend
// configuration (DefaultBackendConfig, always added) must make this impossible; the test fails, rather than
// hanging, if the call takes more than two minutes.
func TestNoHangOnLargeIndependentMatmuls(t *testing.T) {
	backend, err := newBackend("parallelism=2")
	if err != nil {
		t.Fatal(err)
	}
	cfg := MNISTConfig()
	store := model.NewStore()
	if err := initWeights(func(Head) *model.Store { return store }, cfg, 784); err != nil {
		t.Fatal(err)
	}
	const n = 10000
	x := make([]float32, n*784)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range x {
		x[i] = rng.Float32()
	}
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, x *graph.Node) (*graph.Node, *graph.Node) {
		return graph.Softmax(logitsGraph(scope, x, cfg.Hidden, Softmax), -1), graph.Sigmoid(logitsGraph(scope, x, cfg.Hidden, Sigmoid))
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two executions at once as well: the way Train runs the heads side by side.
	single := func(h Head) *model.Exec {
		return model.MustNewExec(backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return logitsGraph(scope, x, cfg.Hidden, h)
		})
	}
	execs := []*model.Exec{exec, single(Softmax), single(Sigmoid)}
	done := make(chan error, len(execs))
	for _, e := range execs {
		go func() {
			out, err := e.Call(tensors.FromFlatDataAndDimensions(x, n, 784))
			if err == nil {
				for _, o := range out {
					if got := o.Shape().Dimensions; got[0] != n || got[1] != NumClasses {
						err = errShape(got)
					}
				}
			}
			done <- err
		}()
	}
	timeout := time.After(2 * time.Minute)
	for range execs {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-timeout:
			t.Fatal("evaluating both heads on 10,000 examples did not return within 2 minutes: the Go backend's worker pool is deadlocked")
		}
	}
}

func TestBackendConfig(t *testing.T) {
	for env, want := range map[string]string{
		"":                              "ops_sequential",
		"parallelism=2":                 "ops_sequential,parallelism=2",
		"ops_sequential, parallelism=1": "ops_sequential,parallelism=1",
	} {
		got, err := backendConfig(env)
		if err != nil || got != want {
			t.Errorf("backendConfig(%q) = %q, %v; want %q", env, got, err, want)
		}
	}
	if _, err := backendConfig("ops_parallel"); err == nil {
		t.Error("backendConfig accepted ops_parallel, which can deadlock")
	}
}

type errShape []int

func (e errShape) Error() string { return "unexpected output shape" }
