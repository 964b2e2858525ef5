package script

import (
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/dop251/goja"
)

// Source is a script a realm runs when it starts: source text with a name
// (Code), or a file of the host's file system (File).
type Source struct {
	name string
	text string
	path string // set for File
	file bool
}

// Code is a script given as text; name is its file name in error reports
// and stacks.
func Code(name, text string) Source { return Source{name: name, text: text} }

// File is a script read from the file system given with WithFS, at path
// (relative, slash-separated, as io/fs names files), when the realm
// starts. A file that cannot be read is reported as an error event of the
// realm, and the next source runs.
func File(path string) Source { return Source{name: path, path: path, file: true} }

// Name returns the source's name: the name given to Code, the path given
// to File.
func (s Source) Name() string { return s.name }

// compile reads and compiles the source.
func (s Source) compile(fsys fs.FS) (*goja.Program, error) {
	text := s.text
	if s.file {
		if fsys == nil {
			return nil, errors.New("script: " + s.path + ": the host has no file system (WithFS)")
		}
		b, err := fs.ReadFile(fsys, s.path)
		if err != nil {
			return nil, fmt.Errorf("script: %w", err)
		}
		text = string(b)
	}
	return compileCached(s.name, text)
}

// programs caches compiled sources by name and text, so that realms
// running the same script (a test harness, a worker spawned many times)
// compile it once. It holds at most maxPrograms entries; when full, one
// entry is dropped for each new one.
var programs struct {
	mu sync.Mutex
	m  map[programKey]*goja.Program
}

type programKey struct{ name, text string }

const maxPrograms = 64

func compileCached(name, text string) (*goja.Program, error) {
	k := programKey{name, text}
	programs.mu.Lock()
	p, ok := programs.m[k]
	programs.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := goja.Compile(name, text, false)
	if err != nil {
		return nil, err
	}
	programs.mu.Lock()
	defer programs.mu.Unlock()
	if programs.m == nil {
		programs.m = make(map[programKey]*goja.Program)
	}
	if len(programs.m) >= maxPrograms {
		for old := range programs.m {
			delete(programs.m, old)
			break
		}
	}
	programs.m[k] = p
	return p, nil
}
