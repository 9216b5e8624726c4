//go:build !goexperiment.simd

package mlcore

// SIMD reports whether this binary was built with GOEXPERIMENT=simd, which lets GoMLX's Go backend use
// vector instructions for matrix products (about twice as fast for wide layers such as 784→128 on amd64,
// slower for tiny ones such as the 64-input digits model).
const SIMD = false
