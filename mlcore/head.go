package mlcore

import (
	"fmt"
	"strings"
)

// Head is the output layer that turns the 10 logits z of the network into class scores.
//
//   - Softmax: p_k = exp(z_k) / Σ_j exp(z_j). The ten outputs compete: they are positive and sum to 1,
//     a probability distribution over mutually exclusive classes. Trained with categorical cross-entropy;
//     the prediction is the argmax.
//   - Sigmoid: p_k = σ(z_k) = 1 / (1 + exp(−z_k)), one independent yes/no probability per class.
//     Nothing ties the outputs together: their sum can be anything from 0 to 10. Trained with binary
//     cross-entropy against the one-hot target; read by thresholding at 0.5 (multi-label) or by argmax.
type Head int

const (
	Softmax Head = iota
	Sigmoid
)

// Heads lists both heads in their canonical order.
var Heads = []Head{Softmax, Sigmoid}

// String returns "softmax" or "sigmoid".
func (h Head) String() string {
	switch h {
	case Softmax:
		return "softmax"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("Head(%d)", int(h))
}

// Valid reports whether h is one of the known heads.
func (h Head) Valid() bool { return h == Softmax || h == Sigmoid }

// ParseHead accepts "softmax" or "sigmoid" (any case).
func ParseHead(s string) (Head, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "softmax":
		return Softmax, nil
	case "sigmoid":
		return Sigmoid, nil
	}
	return 0, fmt.Errorf("unknown head %q: want softmax or sigmoid", s)
}

// MarshalText implements encoding.TextMarshaler, so heads read as words in JSON.
func (h Head) MarshalText() ([]byte, error) {
	if !h.Valid() {
		return nil, fmt.Errorf("mlcore: invalid head %d", int(h))
	}
	return []byte(h.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Head) UnmarshalText(b []byte) error {
	v, err := ParseHead(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}
