package scenario

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// nodeScript runs bench/node/<name> in a fresh node process and reads its
// result lines.
func nodeScript(name string) Run {
	return func(cfg Config) ([]Sample, error) {
		if cfg.NodePath == "" || cfg.NodeDir == "" {
			return nil, fmt.Errorf("scenario: %s: no node", name)
		}
		mode := "full"
		if cfg.Quick {
			mode = "quick"
		}
		ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout())
		defer cancel()
		// --expose-gc is for s6.mjs; the others do not call gc().
		cmd := exec.CommandContext(ctx, cfg.NodePath, "--expose-gc", filepath.Join(cfg.NodeDir, name), mode)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("scenario: node %s: %v: %s", name, err, strings.TrimSpace(stderr.String()))
		}
		return parseNode(name, stdout.Bytes())
	}
}

// parseNode reads the {"metric", "unit", "value"} lines a script prints.
func parseNode(name string, out []byte) ([]Sample, error) {
	var samples []Sample
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var r struct {
			Metric string   `json:"metric"`
			Unit   string   `json:"unit"`
			Value  *float64 `json:"value"`
		}
		if err := json.Unmarshal(line, &r); err != nil || r.Metric == "" || r.Value == nil {
			return nil, fmt.Errorf("scenario: node %s: bad result line %q", name, line)
		}
		samples = append(samples, Sample{r.Metric, r.Unit, *r.Value})
	}
	if len(samples) == 0 {
		return nil, fmt.Errorf("scenario: node %s: no results", name)
	}
	return samples, sc.Err()
}
