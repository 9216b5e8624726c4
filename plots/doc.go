// Package plots draws the charts of twoheads with go-echarts: how the sigmoid and softmax output heads
// turn logits into probabilities, and how their decisions compare once trained. The charts are drawn
// by the echarts library in the browser, offline: in a GoNB notebook (package notebook shows them), or in a
// self-contained HTML page with WritePage and SavePage.
//
// Every builder is a plain function that returns a go-echarts chart (a Chart), built from
// numbers or from the results of package mlcore. The softmax head is always blue (SoftmaxColor) and
// the sigmoid head orange (SigmoidColor); the 0.5 threshold is a dashed dark line.
//
// # Activations
//
//   - SigmoidCurve: σ(z) = 1/(1 + e^(−z)) maps a logit to (0, 1), crossing 0.5 at z = 0; its slope
//     σ′(z) = σ(z)(1 − σ(z)) is at most 0.25 and vanishes for large |z|.
//   - SoftmaxSweep: the softmax of 2 or 3 logits while one of them moves. The outputs always sum to 1,
//     so raising one logit takes probability from all the others; two classes are equally likely where
//     their logits are equal.
//   - TwoClassSoftmax: with two classes, softmax(z₀, z₁)₁ = σ(z₁ − z₀): a two-class softmax is a
//     sigmoid of the difference of the logits. The two curves coincide.
//   - Temperature: softmax(z/T) for several T. A low temperature sharpens the distribution towards
//     the largest logit, a high one flattens it towards uniform; the argmax never changes.
//   - Jacobians: the Jacobians ∂pᵢ/∂zⱼ of both heads side by side: softmax's diag(p) − p pᵀ is full
//     (every output moves with every logit), the sigmoid's diag(σ(1 − σ)) is diagonal.
//   - SetSizes: where the sigmoid head's probability goes, by the number of classes it answers "yes":
//     only "exactly one" ever happens in single-label data.
//
// # One example
//
//   - Example: a digit image beside the ten softmax probabilities and the ten sigmoid outputs of the
//     same image, with the 0.5 line and the sum of each head. Softmax outputs compete and sum to 1;
//     sigmoid outputs are ten separate yes/no answers, so none or several can be above 0.5.
//
// # Decisions of trained heads
//
//   - Confusion: the confusion matrix of a head: which digits it takes for which.
//   - OutputSums: the histogram of the sum of the ten outputs: a spike at 1 for softmax, a spread for
//     sigmoid.
//   - AboveHalf: how often no output, exactly one, or several outputs exceed 0.5: only sigmoid can
//     say "none of the above" or name several classes.
//   - Reliability: the reliability diagram, confidence against accuracy, with the expected
//     calibration error (ECE) in the title: does 90% confidence mean right 90% of the time?
//   - Training: the loss of every training step and the test accuracy of each head against the step.
//   - Regions: what a model trained on points of the plane decides everywhere in the unit square, as
//     three maps: the softmax argmax, the sigmoid argmax, and the sigmoid read at a threshold, with its
//     "none" and "several" regions.
//
// # Display
//
// Fragment is the HTML that draws charts in the output of a notebook cell (notebook.Show displays it):
// it carries the echarts library and loads it once per page, with RequireJS where the page has it
// (the classic notebook, nbconvert's HTML) and without where it does not (JupyterLab); Redraw is the
// same without the library, for an output drawn again (notebook.Live).
// WritePage and SavePage write a page that inlines the library and opens from a file, with no network.
//
// The library is the echarts package from the npm registry, at the version go-echarts targets
// (EchartsVersion), installed by `npm ci` in the twoheads module; EchartsPath says where it is looked
// for. Without it, Fragment and the pages fail with an error that says what to run, never with a
// blank chart.
//
// It imports go-echarts, mlcore (for the results it draws) and refmath; never Jupyter's packages: a
// chart is plain data, shown by package notebook or written to a page.
package plots
