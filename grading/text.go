package grading

import (
	"html"
	"regexp"
	"strings"

	"github.com/twoheads/twoheads/assignment"
)

// outputText is what a list of outputs shows as text: streams, text/plain (or HTML without its tags)
// and errors.
func outputText(outs []map[string]any) string {
	var b strings.Builder
	for _, o := range outs {
		switch o["output_type"] {
		case "stream":
			b.WriteString(textOf(o["text"]))
		case "display_data", "execute_result":
			data, _ := o["data"].(map[string]any)
			if t, ok := data["text/plain"]; ok {
				b.WriteString(textOf(t) + "\n")
			} else if t, ok := data["text/markdown"]; ok {
				b.WriteString(textOf(t) + "\n")
			} else if t, ok := data["text/html"]; ok {
				b.WriteString(htmlText(textOf(t)))
			}
		case "error":
			if strings.HasPrefix(textOf(o["evalue"]), "failed to run ") {
				continue // GoNB's note that go build failed: the HTML output before it shows why.
			}
			tb, _ := o["traceback"].([]any)
			var lines []string
			for _, l := range tb {
				lines = append(lines, textOf(l))
			}
			if len(lines) > 0 && !(len(lines) == 1 && lines[0] == textOf(o["evalue"])) {
				b.WriteString(strings.Join(lines, "\n") + "\n")
			}
		}
	}
	return b.String()
}

// textOf is an output's text field ("" if it is not text).
func textOf(v any) string {
	s, _ := assignment.Text(v)
	return s
}

var (
	htmlTag    = regexp.MustCompile(`<[^>]*>`)
	htmlNoText = regexp.MustCompile(`(?is)<(style|script)[^>]*>.*?</(style|script)>`)
	blankLines = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
	errContext = `<div class="gonb-err-context">`
)

// htmlText is the text of an HTML output. GoNB shows a compile error as HTML with, for each error, the
// lines of code around it (which may be hidden tests): those are left out.
func htmlText(h string) string {
	h = htmlNoText.ReplaceAllString(h, "")
	for {
		i := strings.Index(h, errContext)
		if i < 0 {
			break
		}
		depth, j := 0, i
		for j < len(h) {
			if strings.HasPrefix(h[j:], "<div") {
				depth++
			} else if strings.HasPrefix(h[j:], "</div>") {
				depth--
				if depth == 0 {
					j += len("</div>")
					break
				}
			}
			j++
		}
		h = h[:i] + "\n" + h[j:]
	}
	h = html.UnescapeString(htmlTag.ReplaceAllString(h, ""))
	return strings.TrimSpace(blankLines.ReplaceAllString(h, "\n")) + "\n"
}
