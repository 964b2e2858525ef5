// Package node holds the Node.js side of the comparison runner
// (bench/compare): one script per scenario (s1.mjs ... s6.mjs), a worker
// (worker.mjs) and shared helpers (lib.mjs). The scripts use only Node's own
// MessageChannel, worker_threads and structuredClone, no npm packages.
//
// Each script is run in a fresh process as
//
//	node sN.mjs full|quick
//
// and prints one JSON object per line, {"metric", "unit", "value"}, for
// the runner to collect. The scripts are embedded (Scripts) so that the
// runner works from any directory; WriteTo copies them out for node.
package node

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

// Scripts are the .mjs files of this directory.
//
//go:embed *.mjs
var Scripts embed.FS

// WriteTo copies the scripts into dir, which must exist.
func WriteTo(dir string) error {
	return fs.WalkDir(Scripts, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := Scripts.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, path), b, 0o644)
	})
}
