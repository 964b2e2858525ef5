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
